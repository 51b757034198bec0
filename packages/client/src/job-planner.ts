import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { runInPlanMode, type PlannedJob } from '@tsflink/api';
import { loadJobModule } from '@tsflink/core';

/** Thrown when a job file cannot be found, bundled or planned; the message says which and why. */
export class JobFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFileError';
  }
}

/**
 * Bundles a job file (TypeScript or JavaScript, anywhere on disk) into one ES
 * module. `@tsflink/*` stay external: whoever loads the bundle (CLI,
 * TaskManager) resolves them to its own copies.
 */
export async function bundleJobFile(jobFile: string, cwd = process.cwd()): Promise<string> {
  const path = resolve(cwd, jobFile);
  if (!existsSync(path)) throw new JobFileError(`The job file ${path} does not exist.`);
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['@tsflink/*'],
      sourcemap: 'inline',
      logLevel: 'silent',
      // Bundled CommonJS dependencies may call require() for node built-ins.
      banner: { js: "import { createRequire as __tsflinkCreateRequire } from 'node:module'; const require = __tsflinkCreateRequire(import.meta.url);" },
    });
    return result.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }).errors;
    const first = errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line}:${first.location.column})` : '';
    throw new JobFileError(`Could not compile the job file ${path}: ${first?.text ?? (e as Error).message}${where}.`);
  }
}

export interface PlanOptions {
  args: string[];
  defaultParallelism: number;
  defaultMaxParallelism?: number;
  /** Package roots the job's `@tsflink/*` imports resolve to (see core's loadJobModule). */
  packages: Record<string, string>;
  name?: string;
}

/** Loads a bundle and runs its main in plan mode: the JobGraph and operator specs, nothing executed. */
export async function planJob(bundle: string, options: PlanOptions): Promise<PlannedJob> {
  const mod = await loadJobModule(bundle, options.name ?? 'job', { packages: options.packages });
  return runInPlanMode(mod.main, options.args, {
    defaultParallelism: options.defaultParallelism,
    defaultMaxParallelism: options.defaultMaxParallelism,
  });
}

/** A readable name for a job file in messages. */
export function jobFileName(jobFile: string): string {
  return basename(jobFile);
}
