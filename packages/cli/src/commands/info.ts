import type { CliContext } from '../cli-context.js';
import { CliArgsError } from '../cli-errors.js';

/** `flink info <jobFile>`: prints the job's plan without submitting it. */
export async function infoCommand(_ctx: CliContext, _jobFile: string, _args: string[], _options: { parallelism?: string }): Promise<void> {
  throw new CliArgsError('Showing plans is not available in this build yet.');
}
