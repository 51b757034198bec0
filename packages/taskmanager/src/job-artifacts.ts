import { loadJobModule, packageRootOf, type Logger } from '@tsflink/core';
import { runInPlanMode, type PlannedJob } from '@tsflink/api';
import { grpc } from '@tsflink/proto';
import type { JobArtifact__Output, TaskManagerGatewayClient } from '@tsflink/proto';
import { fromProtoJobGraph } from './job-graph-from-proto.js';
import type { JobGraph } from '@tsflink/api';

/** A job's code and graph as this TaskManager knows them. */
export interface LoadedJob {
  artifact: JobArtifact__Output;
  graph: JobGraph;
  main: (args: string[]) => unknown;
}

/**
 * Fetches each job's artifact once from the JobManager, loads its bundle with
 * `@tsflink/api` and `@tsflink/connectors` resolved to this TaskManager's own
 * copies, and re-runs `main` in plan mode for every task (user functions keep
 * per-subtask fields, so specs are never shared between tasks).
 */
export class JobArtifacts {
  private readonly jobs = new Map<string, Promise<LoadedJob>>();
  private readonly packages: Record<string, string>;

  constructor(private readonly client: () => TaskManagerGatewayClient, private readonly logger: Logger) {
    this.packages = {
      '@tsflink/api': packageRootOf(import.meta.resolve('@tsflink/api')),
      '@tsflink/connectors': packageRootOf(import.meta.resolve('@tsflink/connectors')),
    };
  }

  load(jobId: string): Promise<LoadedJob> {
    let job = this.jobs.get(jobId);
    if (!job) {
      job = this.fetchAndLoad(jobId);
      this.jobs.set(jobId, job);
      job.catch(() => this.jobs.delete(jobId));
    }
    return job;
  }

  /** Runs the job's main in plan mode with the submission's defaults. */
  async plan(job: LoadedJob): Promise<PlannedJob> {
    return runInPlanMode(job.main, job.artifact.program_args, {
      defaultParallelism: job.artifact.plan_parallelism || 1,
      defaultMaxParallelism: job.artifact.plan_max_parallelism || undefined,
    });
  }

  release(jobId: string): void {
    this.jobs.delete(jobId);
  }

  private async fetchAndLoad(jobId: string): Promise<LoadedJob> {
    const artifact = await new Promise<JobArtifact__Output>((resolve, reject) => {
      this.client().GetJobArtifact({ job_id: jobId }, { deadline: Date.now() + 60_000 }, (err: grpc.ServiceError | null, res?: JobArtifact__Output) => {
        if (err) reject(new Error(`Could not fetch the code of job ${jobId} from the JobManager: ${err.details || err.message}`));
        else resolve(res!);
      });
    });
    const name = artifact.bundle_file_name || artifact.job_graph?.job_name || jobId;
    const mod = await loadJobModule(artifact.job_bundle, name, { packages: this.packages });
    this.logger.info({ jobId, bundleBytes: artifact.job_bundle.length, file: mod.file }, `Loaded the code of job ${jobId}.`);
    return { artifact, graph: fromProtoJobGraph(artifact.job_graph!), main: mod.main };
  }
}
