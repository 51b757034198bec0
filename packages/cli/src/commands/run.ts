import type { CliContext } from '../cli-context.js';
import { CliArgsError } from '../cli-errors.js';

export interface RunOptions {
  fromSavepoint?: string;
  allowNonRestoredState?: boolean;
  parallelism?: string;
  detached?: boolean;
  dryRun?: boolean;
}

/** `flink run`: bundles the job file, plans it, submits it (and waits unless detached). */
export async function runCommand(_ctx: CliContext, _jobFile: string, _args: string[], _options: RunOptions): Promise<void> {
  throw new CliArgsError('Running jobs is not available in this build yet.');
}
