import { toProtoJobGraph } from '@tsflink/client';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { CliArgsError } from '../cli-errors.js';
import { prepareJob } from '../job-plan.js';
import { formatBytes } from './inspect.js';
import { userPath } from '../user-path.js';
import type { RunOptions } from './run.js';
import { JobExecutionError } from './run.js';

/**
 * `flink run --dry-run -s <path> app.ts`: plans the job and reports, without
 * starting anything, which saved operators map to which new ones, which state
 * would be dropped, and whether parallelism and max parallelism fit.
 */
export async function dryRunCommand(ctx: CliContext, jobFile: string, args: string[], options: RunOptions): Promise<void> {
  if (!options.fromSavepoint) throw new CliArgsError('--dry-run needs a savepoint or checkpoint to check against: flink run --dry-run -s <path> <jobFile>.');
  const job = await prepareJob(ctx, jobFile, args, options.parallelism);
  const plan = await ctx.client.planRestore(toProtoJobGraph(job.planned.jobGraph), userPath(options.fromSavepoint, ctx.io.cwd), !!options.allowNonRestoredState);
  const out = ctx.io.stdout;
  println(out, `Dry run: restoring ${job.fileName} from checkpoint ${plan.checkpoint_id} at ${plan.path}`);
  for (const m of plan.mappings) {
    const who = m.uid ? `uid "${m.uid}"` : m.operator_id;
    const names = m.saved_name && m.new_name ? `${m.saved_name} -> ${m.new_name}` : m.new_name || m.saved_name;
    const par = m.status === 'NEW' ? `p=${m.new_parallelism}` : m.new_parallelism ? `p ${m.old_parallelism} -> ${m.new_parallelism}, max p ${m.old_max_parallelism} -> ${m.new_max_parallelism}` : `p ${m.old_parallelism}`;
    println(out, `  ${m.status.padEnd(14)} ${who} (${names}) ${par}${m.state_bytes ? `, ${formatBytes(m.state_bytes)}` : ''}${m.note ? ` — ${m.note}` : ''}`);
  }
  if (!plan.ok) throw new JobExecutionError(plan.error);
  println(out, 'The job can be restored from this checkpoint. Nothing was started.');
}
