import {
  InvalidArgumentError, JobNotFoundError, generateJobId,
  type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import type {
  ClusterOverview, JobArtifact, JobDetails, SubmitJobRequest__Output, TaskManagerMessage__Output, TriggerSavepointRequest__Output,
} from '@tsflink/proto';
import type { DispatcherGateway } from '../rpc/dispatcher-service.js';
import type { RegisteredTaskManager, TaskManagerRegistry } from '../resource-manager/task-manager-registry.js';
import type { TaskManagerMessageListener } from '../rpc/task-manager-gateway-service.js';
import { SlotPool } from '../scheduler/slot-pool.js';
import { JobMaster } from '../jobmaster/job-master.js';
import { validateJobGraph } from './job-graph-validation.js';

export const TSFLINK_VERSION = '0.1.0';

export interface DispatcherDeps {
  registry: TaskManagerRegistry;
  config: Configuration;
  logger: Logger;
  clock: Clock;
  timers: TimerService;
}

/**
 * Accepts jobs and runs one JobMaster per job; routes TaskManager reports to
 * their job; keeps the slot pool in step with TaskManager registrations and losses.
 */
export class Dispatcher implements DispatcherGateway, TaskManagerMessageListener {
  private readonly jobs = new Map<string, JobMaster>();
  private readonly attemptsToJob = new Map<string, string>();
  readonly slotPool = new SlotPool();

  constructor(private readonly deps: DispatcherDeps) {
    deps.registry.on('registered', (tm) => {
      this.slotPool.addTaskManager(tm.id, tm.slots);
      this.scheduleWaitingJobs();
    });
    deps.registry.on('lost', (tm, reason) => {
      this.slotPool.removeTaskManager(tm.id);
      for (const job of this.jobs.values()) if (!job.isTerminal) job.onTaskManagerLost(tm.id, reason);
      this.scheduleWaitingJobs();
    });
  }

  async submitJob(request: SubmitJobRequest__Output): Promise<{ jobId: string; warnings: string[] }> {
    validateJobGraph(request, this.deps.config);
    const jobId = generateJobId();
    const job = new JobMaster({
      jobId,
      request,
      config: this.deps.config,
      logger: this.deps.logger.child({ jobId }),
      clock: this.deps.clock,
      timers: this.deps.timers,
      slotPool: this.slotPool,
      taskManager: (id) => this.deps.registry.get(id),
    });
    this.jobs.set(jobId, job);
    job.on('terminated', () => {
      this.deps.registry.broadcast({ release_job: { job_id: jobId } });
      this.scheduleWaitingJobs();
    });
    job.trySchedule();
    return { jobId, warnings: request.job_graph?.warnings ?? [] };
  }

  listJobs(): JobDetails[] {
    return [...this.jobs.values()].map((j) => j.details());
  }

  getJob(jobId: string): JobDetails {
    return this.job(jobId).details();
  }

  watchJob(jobId: string, listener: (details: JobDetails) => void): () => void {
    const job = this.job(jobId);
    const onChange = () => listener(job.details());
    job.on('changed', onChange);
    onChange();
    return () => job.off('changed', onChange);
  }

  async cancelJob(jobId: string): Promise<void> {
    const job = this.job(jobId);
    if (job.isTerminal) throw new InvalidArgumentError(`Job ${jobId} is already ${job.state} and cannot be cancelled.`);
    job.cancel();
  }

  async triggerSavepoint(request: TriggerSavepointRequest__Output): Promise<string> {
    this.job(request.job_id);
    throw new InvalidArgumentError('Savepoints are not available yet.');
  }

  async disposeSavepoint(path: string): Promise<void> {
    throw new InvalidArgumentError(`Cannot dispose ${path}: savepoints are not available yet.`);
  }

  jobArtifact(jobId: string): JobArtifact | undefined {
    return this.jobs.get(jobId)?.artifact;
  }

  onTaskManagerMessage(_tm: RegisteredTaskManager, message: TaskManagerMessage__Output): void {
    if (message.body === 'task_state' && message.task_state) {
      this.jobs.get(message.task_state.job_id)?.onTaskState(message.task_state);
    }
  }

  clusterOverview(): ClusterOverview {
    const tms = this.deps.registry.list();
    return {
      task_managers: tms.map((t) => ({
        id: t.id, host: t.host, data_address: t.dataAddress, slots: t.slots, free_slots: this.slotPool.freeSlotsOf(t.id),
        registered_at: t.registeredAt, last_heartbeat: t.lastHeartbeat, pid: t.pid,
      })),
      slots_total: this.slotPool.totalSlots,
      slots_available: this.slotPool.freeSlots,
      jobs_running: [...this.jobs.values()].filter((j) => j.state === 'RUNNING' || j.state === 'RESTARTING').length,
      version: TSFLINK_VERSION,
    };
  }

  /** Cancels every job (JobManager shutdown). */
  shutdown(): void {
    for (const job of this.jobs.values()) job.cancel();
  }

  private scheduleWaitingJobs(): void {
    for (const job of [...this.jobs.values()].sort((a, b) => a.submittedAt - b.submittedAt)) job.trySchedule();
  }

  private job(jobId: string): JobMaster {
    const job = this.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }
}
