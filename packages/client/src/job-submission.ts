import { packageRootOf } from '@tsflink/core';
import type { ClusterClient } from './cluster-client.js';
import { bundleJobFile, jobFileName, planJob } from './job-planner.js';
import { toProtoJobGraph } from './job-graph-proto.js';

export interface SubmitJobFileOptions {
  /** Arguments for the job's main. */
  args?: string[];
  /** Default parallelism (flink run -p); default 1. */
  parallelism?: number;
  maxParallelism?: number;
  /** Restore from this savepoint or retained checkpoint (flink run -s). */
  savepointPath?: string;
  /** Skip state that maps to no operator of the new program (flink run -n). */
  allowNonRestoredState?: boolean;
  /**
   * Roots of the packages the job imports (`@tsflink/api`, `@tsflink/connectors`):
   * by default this client's `@tsflink/api`, and `@tsflink/connectors` when the
   * calling program can resolve it.
   */
  packages?: Record<string, string>;
  cwd?: string;
}

/**
 * Bundles, plans and submits a job file — what `flink run -d` does — and
 * resolves with the job id and the planner's warnings.
 */
export async function submitJobFile(client: ClusterClient, jobFile: string, options: SubmitJobFileOptions = {}): Promise<{ jobId: string; warnings: string[] }> {
  const args = options.args ?? [];
  const parallelism = options.parallelism ?? 1;
  const bundle = await bundleJobFile(jobFile, options.cwd);
  const planned = await planJob(bundle, {
    args, defaultParallelism: parallelism, defaultMaxParallelism: options.maxParallelism,
    packages: options.packages ?? defaultPackages(), name: jobFileName(jobFile),
  });
  const { jobId } = await client.submitJob({
    job_graph: toProtoJobGraph(planned.jobGraph),
    job_bundle: Buffer.from(bundle),
    program_args: args,
    savepoint_path: options.savepointPath ?? '',
    allow_non_restored_state: !!options.allowNonRestoredState,
    bundle_file_name: jobFileName(jobFile),
    plan_parallelism: parallelism,
    plan_max_parallelism: options.maxParallelism ?? 0,
  });
  return { jobId, warnings: planned.jobGraph.warnings };
}

function defaultPackages(): Record<string, string> {
  const packages: Record<string, string> = { '@tsflink/api': packageRootOf(import.meta.resolve('@tsflink/api')) };
  try {
    packages['@tsflink/connectors'] = packageRootOf(import.meta.resolve('@tsflink/connectors', `file://${process.cwd()}/`));
  } catch { /* the job then cannot import @tsflink/connectors */ }
  return packages;
}
