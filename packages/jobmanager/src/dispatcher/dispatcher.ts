import { InvalidArgumentError, JobNotFoundError, type Logger } from '@tsflink/core';
import type { ClusterOverview, JobDetails, SubmitJobRequest__Output, TriggerSavepointRequest__Output } from '@tsflink/proto';
import type { DispatcherGateway } from '../rpc/dispatcher-service.js';
import type { TaskManagerRegistry } from '../resource-manager/task-manager-registry.js';

export const TSFLINK_VERSION = '0.1.0';

/**
 * Accepts jobs and answers questions about them. Job execution arrives with the
 * DataStream/execution work; until then the dispatcher knows the cluster only.
 */
export class Dispatcher implements DispatcherGateway {
  private readonly jobs = new Map<string, JobDetails>();

  constructor(private readonly registry: TaskManagerRegistry, private readonly logger: Logger) {}

  async submitJob(_request: SubmitJobRequest__Output): Promise<{ jobId: string; warnings: string[] }> {
    throw new InvalidArgumentError('This JobManager cannot run jobs yet.');
  }

  listJobs(): JobDetails[] {
    return [...this.jobs.values()];
  }

  getJob(jobId: string): JobDetails {
    const job = this.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }

  watchJob(jobId: string, listener: (details: JobDetails) => void): () => void {
    listener(this.getJob(jobId));
    return () => {};
  }

  async cancelJob(jobId: string): Promise<void> {
    this.getJob(jobId);
  }

  async triggerSavepoint(request: TriggerSavepointRequest__Output): Promise<string> {
    this.getJob(request.job_id);
    throw new InvalidArgumentError('Savepoints are not available yet.');
  }

  async disposeSavepoint(path: string): Promise<void> {
    throw new InvalidArgumentError(`Cannot dispose ${path}: savepoints are not available yet.`);
  }

  clusterOverview(): ClusterOverview {
    const tms = this.registry.list();
    const total = this.registry.totalSlots();
    this.logger.trace({ taskManagers: tms.length }, 'Cluster overview requested.');
    return {
      task_managers: tms.map((t) => ({
        id: t.id, host: t.host, data_address: t.dataAddress, slots: t.slots, free_slots: t.slots,
        registered_at: t.registeredAt, last_heartbeat: t.lastHeartbeat, pid: t.pid,
      })),
      slots_total: total,
      slots_available: total,
      jobs_running: 0,
      version: TSFLINK_VERSION,
    };
  }
}
