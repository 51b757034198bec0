/**
 * What the benchmark jobs share (bundled into each job by `flink run`): the
 * `TSFLINK_BENCH {json}` lines they print on the TaskManager's stdout for the
 * benchmark to read, and their `--name value` numeric options.
 */

/** Prefix of every line a benchmark job prints for the benchmark. */
export const BENCH_LINE_PREFIX = 'TSFLINK_BENCH ';

/** Prints one event with the current time (`t`, epoch ms). */
export function report(event: Record<string, unknown>): void {
  process.stdout.write(BENCH_LINE_PREFIX + JSON.stringify({ ...event, t: Date.now() }) + '\n');
}

/** The non-negative number after `--name` in `args`, or `fallback` when absent. */
export function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number, got "${args[i + 1]}".`);
  return v;
}
