import type { CheckpointInspection__Output } from '@tsflink/proto';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { formatFlinkDate } from './list.js';

/** `flink savepoint --inspect <path> [--json]`: what a checkpoint or savepoint holds. */
export async function inspectCommand(ctx: CliContext, path: string, json: boolean): Promise<void> {
  const info = await ctx.client.inspectCheckpoint(path);
  const out = ctx.io.stdout;
  if (json) {
    println(out, JSON.stringify(info, null, 2));
    return;
  }
  printInspection(out, info);
}

function printInspection(out: NodeJS.WritableStream, i: CheckpointInspection__Output): void {
  println(out, `${i.kind === 'savepoint' ? 'Savepoint' : 'Checkpoint'} ${i.checkpoint_id} of job ${i.job_id}${i.job_name ? ` (${i.job_name})` : ''}`);
  println(out, `Path: ${i.path}`);
  println(out, `Taken: ${formatFlinkDate(i.trigger_timestamp)}, completed in ${i.completion_timestamp - i.trigger_timestamp} ms; format version ${i.format_version}`);
  const total = i.operators.reduce((n, o) => n + o.state_bytes, 0);
  println(out, `Operators: ${i.operators.length}, state: ${formatBytes(total)}`);
  for (const op of i.operators) {
    println(out, '');
    println(out, `Operator ${op.operator_id}${op.uid ? ` uid "${op.uid}"` : ' (no uid)'}${op.name ? ` ${op.name}` : ''}`);
    println(out, `  parallelism ${op.parallelism}, max parallelism ${op.max_parallelism}, state ${formatBytes(op.state_bytes)}`);
    if (op.states.length === 0) { println(out, '  no state'); continue; }
    println(out, `  states: ${op.states.map((s) => `${s.name} (${s.kind})`).join(', ')}`);
    for (const s of op.subtasks) {
      const kg = s.start_key_group >= 0 ? `key groups ${s.start_key_group}-${s.end_key_group}, ` : '';
      println(out, `  subtask ${s.index}: ${kg}${formatBytes(s.state_bytes)} in ${s.files.join(', ')}`);
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
