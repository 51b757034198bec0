/**
 * The prefix Flink's PrintSink puts before each line:
 * "<identifier>:<subtask+1>> " with parallelism > 1 ("<subtask+1>> " without
 * identifier), "<identifier>> " with parallelism 1, nothing otherwise.
 */
export function printPrefix(sinkIdentifier: string | undefined, subtaskIndex: number, parallelism: number): string {
  let prefix = sinkIdentifier ?? '';
  if (parallelism > 1) {
    if (prefix.length > 0) prefix += ':';
    prefix += String(subtaskIndex + 1);
  }
  return prefix.length > 0 ? `${prefix}> ` : '';
}
