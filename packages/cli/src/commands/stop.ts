import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { CliArgsError } from '../cli-errors.js';
import { displayJobId } from '../job-id.js';
import { withProgress } from '../progress.js';
import { userPath } from '../user-path.js';

export interface StopOptions { savepointPath?: string | boolean; drain?: boolean }

/** `flink stop [-p [targetDirectory]] [-d|--drain] <jobId>`: savepoint, then the sources stop and the job finishes. */
export async function stopCommand(ctx: CliContext, jobIdArg: string | undefined, options: StopOptions): Promise<void> {
  let jobIdText = jobIdArg;
  let targetDir: string | undefined;
  if (typeof options.savepointPath === 'string') {
    if (jobIdText === undefined) jobIdText = options.savepointPath;
    else targetDir = options.savepointPath;
  }
  if (jobIdText === undefined) throw new CliArgsError('Missing JobID. Specify a Job ID to stop a job.');
  const jobId = displayJobId(jobIdText);
  const out = ctx.io.stdout;
  println(out, options.drain ? `Draining job "${jobId}" with a savepoint.` : `Suspending job "${jobId}" with a savepoint.`);
  const path = await withProgress(ctx.io, 'Waiting for the savepoint',
    ctx.client.triggerSavepoint(jobId, targetDir === undefined ? undefined : userPath(targetDir, ctx.io.cwd), options.drain ? 'STOP_WITH_SAVEPOINT_DRAIN' : 'STOP_WITH_SAVEPOINT'));
  println(out, `Savepoint completed. Path: ${path}`);
}
