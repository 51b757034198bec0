import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';
import { CliArgsError } from '../cli-errors.js';
import { displayJobId } from '../job-id.js';
import { withProgress } from '../progress.js';
import { inspectCommand } from './inspect.js';
import { userPath } from '../user-path.js';

export interface SavepointOptions { dispose?: string; inspect?: string; json?: boolean }

/** `flink savepoint <jobId> [targetDirectory]` and `flink savepoint -d <savepointPath>`. */
export async function savepointCommand(ctx: CliContext, args: string[], options: SavepointOptions): Promise<void> {
  const out = ctx.io.stdout;
  if (options.inspect !== undefined) {
    if (args.length > 0) throw new CliArgsError(`Unexpected arguments for savepoint --inspect: ${args.join(' ')}. Usage: flink savepoint --inspect <path> [--json].`);
    await inspectCommand(ctx, userPath(options.inspect, ctx.io.cwd), !!options.json);
    return;
  }
  if (options.dispose !== undefined) {
    if (args.length > 0) throw new CliArgsError(`Unexpected arguments for savepoint -d: ${args.join(' ')}. Usage: flink savepoint -d <savepointPath>.`);
    println(out, `Disposing savepoint '${options.dispose}'.`);
    println(out, 'Waiting for response...');
    await ctx.client.disposeSavepoint(userPath(options.dispose, ctx.io.cwd));
    println(out, `Savepoint '${options.dispose}' disposed.`);
    return;
  }
  if (args.length === 0) throw new CliArgsError('Missing JobID and optional target directory. Usage: flink savepoint <jobId> [targetDirectory].');
  if (args.length > 2) throw new CliArgsError(`Too many arguments: ${args.join(' ')}. Usage: flink savepoint <jobId> [targetDirectory].`);
  const jobId = displayJobId(args[0]!);
  println(out, `Triggering savepoint for job ${jobId}.`);
  println(out, 'Waiting for response...');
  const path = await withProgress(ctx.io, 'Waiting for the savepoint', ctx.client.triggerSavepoint(jobId, args[1] === undefined ? undefined : userPath(args[1], ctx.io.cwd), 'SAVEPOINT'));
  println(out, `Savepoint completed. Path: ${path}`);
  println(out, 'You can resume your program from this savepoint with the run command.');
}
