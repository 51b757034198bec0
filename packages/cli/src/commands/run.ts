import { CoreOptions, PipelineOptions } from '@tsflink/core';
import { submitJobFile, type JobStatus } from '@tsflink/client';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { jobPackages, parseParallelism } from '../job-plan.js';
import { withProgress } from '../progress.js';
import { dryRunCommand } from './dry-run.js';
import { userPath } from '../user-path.js';

export interface RunOptions {
  fromSavepoint?: string;
  allowNonRestoredState?: boolean;
  parallelism?: string;
  detached?: boolean;
  dryRun?: boolean;
}

/** Thrown when an attached job ends other than FINISHED; the CLI prints the message and exits 1. */
export class JobExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobExecutionError';
  }
}

/**
 * `flink run [-s path] [-n] [-p N] [-d] app.ts [args]`: bundles the job file,
 * plans it, submits graph + bundle, and (attached) waits for the result with
 * Flink's closing lines.
 */
export async function runCommand(ctx: CliContext, jobFile: string, args: string[], options: RunOptions): Promise<void> {
  const out = ctx.io.stdout;
  if (options.dryRun) { await dryRunCommand(ctx, jobFile, args, options); return; }
  const { jobId, warnings } = await submitJobFile(ctx.client, jobFile, {
    args,
    parallelism: parseParallelism(options.parallelism) ?? ctx.config.get(CoreOptions.DEFAULT_PARALLELISM),
    maxParallelism: ctx.config.getOptional(PipelineOptions.MAX_PARALLELISM),
    savepointPath: options.fromSavepoint === undefined ? undefined : userPath(options.fromSavepoint, ctx.io.cwd),
    allowNonRestoredState: options.allowNonRestoredState,
    packages: jobPackages(),
    cwd: ctx.io.cwd,
  });
  for (const w of warnings) println(ctx.io.stderr, `Warning: ${w}`);
  println(out, `Job has been submitted with JobID ${jobId}`);
  if (options.detached) return;

  const final = await withProgress(ctx.io, `Job ${jobId} is running`, ctx.client.waitForJobResult(jobId));
  reportResult(ctx, final);
}

function reportResult(ctx: CliContext, status: JobStatus): void {
  if (status.state === 'FINISHED') {
    println(ctx.io.stdout, 'Program execution finished');
    println(ctx.io.stdout, `Job with JobID ${status.jobId} has finished.`);
    println(ctx.io.stdout, `Job Runtime: ${status.durationMs} ms`);
    return;
  }
  if (status.state === 'CANCELED') throw new JobExecutionError(`Job ${status.jobId} was cancelled.`);
  const cause = status.failure ? `${status.failure.message}` : 'unknown cause';
  throw new JobExecutionError(`Job ${status.jobId} failed: ${cause}`);
}
