import {
  InvalidArgumentError, JobNotFoundError, generateJobId,
  type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import type {
  CheckpointInspection, ClusterOverview, JobArtifact, JobDetails, PlanRestoreRequest__Output, RestorePlan,
  SubmitJobRequest__Output, TaskManagerMessage__Output, TriggerSavepointRequest__Output,
} from '@tsflink/proto';
import type { DispatcherGateway } from '../rpc/dispatcher-service.js';
import type { RegisteredTaskManager, TaskManagerRegistry } from '../resource-manager/task-manager-registry.js';
import type { TaskManagerMessageListener } from '../rpc/task-manager-gateway-service.js';
import { SlotPool } from '../scheduler/slot-pool.js';
import { JobMaster } from '../jobmaster/job-master.js';
import { validateJobGraph } from './job-graph-validation.js';
import type { FileSystemRegistry } from '@tsflink/fs';
import { displayPath } from '@tsflink/fs';
import { CheckpointLayout } from '@tsflink/runtime';
import { loadCheckpointMetadata } from '../checkpoint/checkpoint-storage.js';
import { assignState } from '../checkpoint/state-assignment.js';
import { inspectCheckpoint, planRestore } from '../checkpoint/checkpoint-inspection.js';
import { verifyCheckpointFiles } from '../checkpoint/checkpoint-verification.js';
import type { CompletedCheckpoint } from '../checkpoint/completed-checkpoint-store.js';

export const TSFLINK_VERSION = '0.1.0';

export interface DispatcherDeps {
  registry: TaskManagerRegistry;
  config: Configuration;
  /** The process logger; the dispatcher and each job derive their own from it. */
  logger: Logger;
  clock: Clock;
  timers: TimerService;
  fileSystems: FileSystemRegistry;
}

/**
 * Accepts jobs and runs one JobMaster per job; routes TaskManager reports to
 * their job; keeps the slot pool in step with TaskManager registrations and losses.
 */
export class Dispatcher implements DispatcherGateway, TaskManagerMessageListener {
  private readonly jobs = new Map<string, JobMaster>();
  private readonly attemptsToJob = new Map<string, string>();
  readonly slotPool = new SlotPool();
  private readonly log: Logger;

  constructor(private readonly deps: DispatcherDeps) {
    this.log = deps.logger.child({ component: 'Dispatcher' });
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
    let initialRestore: CompletedCheckpoint | undefined;
    const warnings = [...(request.job_graph?.warnings ?? [])];
    if (request.savepoint_path) {
      const { directory, metadata } = await loadCheckpointMetadata(this.deps.fileSystems, request.savepoint_path);
      // Checks now that the state maps onto the new program, so the CLI gets the error at submission.
      const result = assignState(metadata, directory, request.savepoint_path, request.job_graph!, request.allow_non_restored_state);
      for (const op of result.dropped) {
        const msg = `Skipping state of operator ${op.operatorId}${op.uid ? ` (uid "${op.uid}")` : ''}: it is not part of the new program (--allowNonRestoredState).`;
        this.log.info({ jobId, operatorId: op.operatorId }, msg);
        warnings.push(msg);
      }
      initialRestore = { checkpointId: metadata.checkpointId, directory, metadata };
      const problem = await verifyCheckpointFiles(this.deps.fileSystems, initialRestore);
      if (problem) throw new InvalidArgumentError(`Cannot restore from ${request.savepoint_path}: ${problem}.`);
    }
    const job = new JobMaster({
      jobId,
      request,
      config: this.deps.config,
      logger: this.deps.logger.child({ component: 'JobMaster', jobId }),
      clock: this.deps.clock,
      timers: this.deps.timers,
      slotPool: this.slotPool,
      taskManager: (id) => this.deps.registry.get(id),
      fileSystems: this.deps.fileSystems,
      initialRestore,
    });
    this.jobs.set(jobId, job);
    job.on('terminated', () => {
      this.deps.registry.broadcast({ release_job: { job_id: jobId } });
      this.scheduleWaitingJobs();
    });
    job.trySchedule();
    return { jobId, warnings };
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
    return this.job(request.job_id).triggerSavepoint(request.target_directory || undefined, request.mode);
  }

  /** `flink savepoint -d`: removes a savepoint; anything that is not one is refused and left untouched. */
  async disposeSavepoint(path: string): Promise<void> {
    const { directory, metadata } = await loadCheckpointMetadata(this.deps.fileSystems, path);
    const name = directory.split('/').pop() ?? '';
    if (metadata.kind !== 'savepoint') {
      throw new InvalidArgumentError(`${displayPath(directory)} is a checkpoint, not a savepoint; only savepoints can be disposed.`);
    }
    const fs = await this.deps.fileSystems.get(directory);
    const entries = await fs.list(directory);
    const known = new Set<string>([CheckpointLayout.metadataFile(directory)]);
    for (const op of metadata.operators) for (const s of op.subtasks) for (const h of [s.keyed?.data, s.operator?.data]) if (h?.path) known.add(CheckpointLayout.resolve(directory, h.path));
    const foreign = entries.filter((e) => !known.has(e.path));
    if (foreign.length > 0) {
      throw new InvalidArgumentError(`Refusing to dispose ${displayPath(directory)}: it holds files that are not part of the savepoint (${foreign.slice(0, 3).map((f) => f.path.split('/').pop()).join(', ')}).`);
    }
    this.log.info({ path: directory, savepointDirectory: name }, `Disposing savepoint ${displayPath(directory)}.`);
    await fs.delete(directory, true);
  }

  async inspectCheckpoint(path: string): Promise<CheckpointInspection> {
    const { directory, metadata } = await loadCheckpointMetadata(this.deps.fileSystems, path);
    return inspectCheckpoint(metadata, directory);
  }

  async planRestore(request: PlanRestoreRequest__Output): Promise<RestorePlan> {
    const { directory, metadata } = await loadCheckpointMetadata(this.deps.fileSystems, request.savepoint_path);
    return planRestore(metadata, directory, request.savepoint_path, request.job_graph!, request.allow_non_restored_state);
  }

  jobArtifact(jobId: string): JobArtifact | undefined {
    return this.jobs.get(jobId)?.artifact;
  }

  onTaskManagerMessage(_tm: RegisteredTaskManager, message: TaskManagerMessage__Output): void {
    if (message.body === 'task_state' && message.task_state) {
      this.jobs.get(message.task_state.job_id)?.onTaskState(message.task_state);
    } else if (message.body === 'acknowledge_checkpoint' && message.acknowledge_checkpoint) {
      this.jobs.get(message.acknowledge_checkpoint.job_id)?.onAcknowledgeCheckpoint(message.acknowledge_checkpoint);
    } else if (message.body === 'decline_checkpoint' && message.decline_checkpoint) {
      this.jobs.get(message.decline_checkpoint.job_id)?.onDeclineCheckpoint(message.decline_checkpoint);
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
