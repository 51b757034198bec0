import { CoreOptions, PipelineOptions, packageRootOf } from '@tsflink/core';
import { bundleJobFile, jobFileName, planJob } from '@tsflink/client';
import type { PlannedJob } from '@tsflink/api';
import type { CliContext } from './cli-context.js';
import { CliArgsError } from './cli-errors.js';

/** A bundled and planned job file, ready to submit. */
export interface PreparedJob {
  bundle: string;
  planned: PlannedJob;
  parallelism: number;
  maxParallelism?: number;
  fileName: string;
}

/** The packages a job file may import without an install of its own: the CLI's copies. */
export function jobPackages(): Record<string, string> {
  return {
    '@tsflink/api': packageRootOf(import.meta.resolve('@tsflink/api')),
    '@tsflink/connectors': packageRootOf(import.meta.resolve('@tsflink/connectors')),
  };
}

/** Bundles the job file and runs its main in plan mode with -p or parallelism.default. */
export async function prepareJob(ctx: CliContext, jobFile: string, args: string[], parallelismOption?: string): Promise<PreparedJob> {
  const parallelism = parseParallelism(parallelismOption) ?? ctx.config.get(CoreOptions.DEFAULT_PARALLELISM);
  const maxParallelism = ctx.config.getOptional(PipelineOptions.MAX_PARALLELISM);
  const bundle = await bundleJobFile(jobFile, ctx.io.cwd);
  const planned = await planJob(bundle, {
    args, defaultParallelism: parallelism, defaultMaxParallelism: maxParallelism, packages: jobPackages(), name: jobFileName(jobFile),
  });
  return { bundle, planned, parallelism, maxParallelism, fileName: jobFileName(jobFile) };
}

/** Validates `-p`. */
export function parseParallelism(option: string | undefined): number | undefined {
  if (option === undefined) return undefined;
  const p = Number(option);
  if (!Number.isInteger(p) || p < 1) throw new CliArgsError(`The parallelism must be a positive integer, got "${option}".`);
  return p;
}
