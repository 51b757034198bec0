import { displayJobId } from '../job-id.js';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { CliArgsError } from '../cli-errors.js';
import { withProgress } from '../progress.js';
import { userPath } from '../user-path.js';

export interface CancelOptions {
  /** `-s [targetDirectory]`: true when given without a value. */
  withSavepoint?: string | boolean;
}

/**
 * `flink cancel [-s [targetDirectory]] <jobId>`. As in Flink, `cancel -s <jobId>`
 * (no directory) works: the option's value is then the job id.
 */
export async function cancelCommand(ctx: CliContext, jobIdArg: string | undefined, options: CancelOptions): Promise<void> {
  let targetDir: string | undefined;
  let jobIdText = jobIdArg;
  const s = options.withSavepoint;
  if (typeof s === 'string') {
    if (jobIdText === undefined) jobIdText = s; // `cancel -s <jobId>`
    else targetDir = s;
  }
  if (jobIdText === undefined) throw new CliArgsError('Missing JobID. Specify a Job ID to cancel a job.');
  const jobId = displayJobId(jobIdText);
  const out = ctx.io.stdout;
  if (s !== undefined && s !== false) {
    println(out, targetDir
      ? `Cancelling job ${jobId} with savepoint to ${targetDir}.`
      : `Cancelling job ${jobId} with savepoint to default savepoint directory.`);
    const path = await withProgress(ctx.io, 'Waiting for the savepoint', ctx.client.triggerSavepoint(jobId, targetDir === undefined ? undefined : userPath(targetDir, ctx.io.cwd), 'CANCEL_WITH_SAVEPOINT'));
    println(out, `Cancelled job ${jobId}. Savepoint stored in ${path}.`);
    return;
  }
  println(out, `Cancelling job ${jobId}.`);
  await ctx.client.cancelJob(jobId);
  println(out, `Cancelled job ${jobId}.`);
}
