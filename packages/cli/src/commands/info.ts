import { describePlan } from '@tsflink/api';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { prepareJob } from '../job-plan.js';

/** `flink info <jobFile> [args]`: prints the job's plan (vertices, chains, operator ids, parallelism) without submitting it. */
export async function infoCommand(ctx: CliContext, jobFile: string, args: string[], options: { parallelism?: string }): Promise<void> {
  const job = await prepareJob(ctx, jobFile, args, options.parallelism);
  println(ctx.io.stdout, describePlan(job.planned.jobGraph).trimEnd());
}
