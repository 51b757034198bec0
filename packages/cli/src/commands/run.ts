import { toProtoJobGraph, type JobStatus } from '@tsflink/client';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { prepareJob } from '../job-plan.js';
import { withProgress } from '../progress.js';

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
  const job = await prepareJob(ctx, jobFile, args, options.parallelism);
  for (const w of job.planned.jobGraph.warnings) println(ctx.io.stderr, `Warning: ${w}`);
  const { jobId } = await ctx.client.submitJob({
    job_graph: toProtoJobGraph(job.planned.jobGraph),
    job_bundle: Buffer.from(job.bundle),
    program_args: args,
    savepoint_path: options.fromSavepoint ?? '',
    allow_non_restored_state: !!options.allowNonRestoredState,
    bundle_file_name: job.fileName,
    plan_parallelism: job.parallelism,
    plan_max_parallelism: job.maxParallelism ?? 0,
  });
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
