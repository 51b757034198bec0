import { EventEmitter } from 'node:events';
import {
  CheckpointingOptions, generateAttemptId, serializeError,
  type Cancellable, type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import type {
  DeployTask, JobArtifact, JobDetails, JobGraph__Output, JobManagerMessage, JobState, SerializedError,
  SubmitJobRequest__Output, TaskExecutionState__Output, TaskState,
} from '@tsflink/proto';
import type { FileSystemRegistry } from '@tsflink/fs';
import { displayPath } from '@tsflink/fs';
import type { AcknowledgeCheckpoint__Output, DeclineCheckpoint__Output, SavepointMode, TaskRestore } from '@tsflink/proto';
import type { SlotPool, Slot } from '../scheduler/slot-pool.js';
import { CheckpointCoordinator, type CheckpointableExecution } from '../checkpoint/checkpoint-coordinator.js';
import { CheckpointStorage } from '../checkpoint/checkpoint-storage.js';
import { resolveCheckpointSettings, type CheckpointSettings } from '../checkpoint/checkpoint-settings.js';
import { assignState } from '../checkpoint/state-assignment.js';
import { verifyCheckpointFiles } from '../checkpoint/checkpoint-verification.js';
import type { CompletedCheckpoint } from '../checkpoint/completed-checkpoint-store.js';
import type { RegisteredTaskManager } from '../resource-manager/task-manager-registry.js';
import { createRestartStrategy, checkpointIntervalOf, type RestartStrategy } from './restart-strategy.js';
import { TERMINAL_TASK_STATES, type ExecutionAttempt } from './execution-attempt.js';

export interface JobMasterDeps {
  jobId: string;
  request: SubmitJobRequest__Output;
  config: Configuration;
  logger: Logger;
  clock: Clock;
  timers: TimerService;
  slotPool: SlotPool;
  taskManager: (id: string) => RegisteredTaskManager | undefined;
  fileSystems: FileSystemRegistry;
  /** The checkpoint or savepoint the job was submitted with (`flink run -s`), already mapped onto the graph. */
  initialRestore?: CompletedCheckpoint;
}

export interface JobMasterEvents {
  /** Status or task states changed (for watchers). */
  changed: [];
  /** The job reached FINISHED, CANCELED or FAILED. */
  terminated: [state: JobState];
}

/** How long a failover waits for the old attempts to confirm cancellation before redeploying anyway. */
const CANCEL_CONFIRM_TIMEOUT_MS = 10_000;

/**
 * Runs one job (Flink's JobMaster + scheduler): takes slots for it, deploys one
 * task per (vertex, subtask), follows task states, and on failure cancels the
 * execution and restarts it by the restart strategy, or fails the job.
 * All transitions happen here, in one place; `state` is the job's status.
 */
export class JobMaster extends EventEmitter<JobMasterEvents> {
  readonly jobId: string;
  readonly graph: JobGraph__Output;
  readonly submittedAt: number;
  state: JobState = 'CREATED';
  private endedAt = 0;
  private failure?: SerializedError;
  private restarts = 0;
  private executionId = 0;
  private attempts = new Map<string, ExecutionAttempt>();
  private slots?: Slot[];
  private waitingReason = '';
  private readonly restartStrategy: RestartStrategy;
  private restartTimer?: Cancellable;
  /** Set while a failover waits for the failed execution's tasks to confirm cancellation. */
  private cancelWait?: Cancellable;
  /** The restart delay decided at the failure (undefined: the job fails). */
  private pendingRestartDelay: number | undefined;
  private readonly log: Logger;
  readonly checkpointSettings: CheckpointSettings;
  readonly coordinator: CheckpointCoordinator;
  /** The checkpoint the current execution restored from (to mark it damaged if its files are). */
  private restoredFrom?: CompletedCheckpoint;
  private readonly terminalWaiters: Array<(state: JobState) => void> = [];

  constructor(private readonly deps: JobMasterDeps) {
    super();
    this.jobId = deps.jobId;
    this.graph = deps.request.job_graph!;
    this.submittedAt = deps.clock.now();
    this.log = deps.logger;
    const interval = checkpointIntervalOf(this.graph.checkpoint?.interval_ms, deps.config);
    this.restartStrategy = createRestartStrategy(this.graph.restart_strategy ?? undefined, deps.config, interval !== undefined);
    this.checkpointSettings = resolveCheckpointSettings(this.graph.checkpoint, deps.config);
    this.coordinator = new CheckpointCoordinator({
      jobId: this.jobId,
      graph: this.graph,
      settings: this.checkpointSettings,
      storage: new CheckpointStorage(deps.fileSystems, this.jobId, this.checkpointSettings.checkpointsDir),
      clock: deps.clock,
      timers: deps.timers,
      logger: deps.logger,
      execution: () => this.checkpointableExecution(),
      send: (tm, message) => this.deps.taskManager(tm)?.send(message),
      failJob: (error) => this.failExecution(error),
    });
    if (deps.initialRestore) this.coordinator.resetCheckpointId(deps.initialRestore.checkpointId);
    this.log.info({ restartStrategy: this.restartStrategy.describe() }, `Job ${this.graph.job_name} (${this.jobId}) submitted; restart strategy: ${this.restartStrategy.describe()}.`);
  }

  /** The artifact TaskManagers fetch to rebuild the plan. */
  get artifact(): JobArtifact {
    const r = this.deps.request;
    return {
      job_id: this.jobId, job_graph: this.graph, job_bundle: r.job_bundle, program_args: r.program_args,
      plan_parallelism: r.plan_parallelism, plan_max_parallelism: r.plan_max_parallelism, bundle_file_name: r.bundle_file_name,
    };
  }

  get requiredSlots(): number {
    return Math.max(1, ...this.graph.vertices.map((v) => v.parallelism));
  }

  get isTerminal(): boolean {
    return this.state === 'FINISHED' || this.state === 'CANCELED' || this.state === 'FAILED';
  }

  /** Deploys now if there are enough free slots; otherwise the job waits (CREATED / RESTARTING). */
  trySchedule(): void {
    if (this.isTerminal || this.state === 'CANCELLING' || this.slots || this.restartTimer || this.cancelWait || this.deploying) return;
    const needed = this.requiredSlots;
    const slots = this.deps.slotPool.allocate(this.jobId, needed);
    if (!slots) {
      const reason = `Not enough free slots: the job needs ${needed}, the cluster has ${this.deps.slotPool.freeSlots} free of ${this.deps.slotPool.totalSlots}. It starts when TaskManagers with free slots register.`;
      if (reason !== this.waitingReason) {
        this.waitingReason = reason;
        this.log.warn(reason);
        this.emit('changed');
      }
      return;
    }
    this.waitingReason = '';
    this.slots = slots;
    this.deploying = this.restoreAssignment().then((restores) => {
      this.deploying = undefined;
      if (this.slots !== slots || this.isTerminal || this.state === 'CANCELLING') return;
      this.deploy(slots, restores);
    }, (e: Error) => {
      this.deploying = undefined;
      this.log.error({ err: e }, `Could not restore job ${this.jobId}: ${e.message}`);
      this.failure = serializeError(e);
      this.releaseSlots();
      this.terminate('FAILED');
    });
  }

  /** Set while the restore state of the next execution is being prepared. */
  private deploying?: Promise<void>;

  /**
   * The state the next execution restores: the newest retained checkpoint whose
   * files are all there (a damaged one is skipped, with a log line), else the
   * checkpoint/savepoint the job was submitted with, else nothing.
   */
  private async restoreAssignment(): Promise<Map<string, TaskRestore[]> | undefined> {
    for (let latest = this.coordinator.store.latest(); latest; latest = this.coordinator.store.latest()) {
      const problem = await verifyCheckpointFiles(this.deps.fileSystems, latest);
      if (!problem) return this.assign(latest, true);
      this.coordinator.store.remove(latest.checkpointId);
      const previous = this.coordinator.store.latest();
      this.log.warn({ checkpointId: latest.checkpointId }, `Checkpoint ${latest.checkpointId} of job ${this.jobId} is damaged (${problem}); falling back to ${previous ? `checkpoint ${previous.checkpointId}` : this.deps.initialRestore ? 'the savepoint the job started from' : 'an empty state'}.`);
    }
    const initial = this.deps.initialRestore;
    if (initial) return this.assign(initial, this.deps.request.allow_non_restored_state);
    this.restoredFrom = undefined;
    return undefined;
  }

  private assign(checkpoint: CompletedCheckpoint, allowNonRestoredState: boolean): Map<string, TaskRestore[]> {
    this.restoredFrom = checkpoint;
    const result = assignState(checkpoint.metadata, checkpoint.directory, displayPath(checkpoint.directory), this.graph, allowNonRestoredState);
    this.log.info({ checkpointId: checkpoint.checkpointId, path: checkpoint.directory }, `Restoring job ${this.jobId} from ${checkpoint.metadata.kind} ${checkpoint.checkpointId}${checkpoint.directory ? ` (${displayPath(checkpoint.directory)})` : ''}.`);
    return result.restores;
  }

  private deploy(slots: Slot[], restores: Map<string, TaskRestore[]> | undefined): void {
    const graph = this.graph;
    const executionId = this.executionId;
    const attemptsByVertex = graph.vertices.map((v, vi) =>
      Array.from({ length: v.parallelism }, (_, subtask): ExecutionAttempt => ({
        attemptId: generateAttemptId(),
        vertexIndex: vi,
        subtaskIndex: subtask,
        taskManagerId: slots[subtask]!.taskManagerId,
        state: 'TASK_DEPLOYING',
        executionId,
      })));
    this.attempts = new Map(attemptsByVertex.flat().map((a) => [a.attemptId, a]));
    const vertexIndex = new Map(graph.vertices.map((v, i) => [v.id, i]));
    const mode = this.graph.checkpoint?.mode || this.deps.config.get(CheckpointingOptions.MODE);

    const messages: Array<{ tm: string; msg: JobManagerMessage }> = [];
    graph.vertices.forEach((vertex, vi) => {
      for (const attempt of attemptsByVertex[vi]!) {
        const inputs = graph.edges
          .map((edge, edgeIndex) => ({ edge, edgeIndex }))
          .filter(({ edge }) => edge.target_vertex === vertex.id)
          .map(({ edge, edgeIndex }) => ({
            edge_index: edgeIndex,
            producer_vertex: edge.source_vertex,
            channels: attemptsByVertex[vertexIndex.get(edge.source_vertex)!]!
              .filter((p) => edge.partitioner !== 'forward' || p.subtaskIndex === attempt.subtaskIndex)
              .map((p) => ({
                producer_subtask: p.subtaskIndex,
                producer_attempt_id: p.attemptId,
                producer_data_address: this.deps.taskManager(p.taskManagerId)?.dataAddress ?? '',
                producer_task_manager_id: p.taskManagerId,
              })),
          }));
        const outputs = graph.edges
          .map((edge, edgeIndex) => ({ edge, edgeIndex }))
          .filter(({ edge }) => edge.source_vertex === vertex.id)
          .map(({ edge, edgeIndex }) => ({
            edge_index: edgeIndex,
            consumer_parallelism: graph.vertices[vertexIndex.get(edge.target_vertex)!]!.parallelism,
          }));
        const deploy: DeployTask = {
          job_id: this.jobId,
          attempt_id: attempt.attemptId,
          vertex_id: vertex.id,
          subtask_index: attempt.subtaskIndex,
          parallelism: vertex.parallelism,
          max_parallelism: vertex.max_parallelism,
          attempt_number: this.restarts,
          inputs,
          outputs,
          checkpointing_mode: mode,
          program_args: this.deps.request.program_args,
          execution_id: executionId,
          restore: restores?.get(vertex.id)?.[attempt.subtaskIndex],
          checkpoint_storage: this.checkpointSettings.checkpointsDir ?? '',
        };
        messages.push({ tm: attempt.taskManagerId, msg: { deploy_task: deploy } });
      }
    });
    this.setState('RUNNING');
    this.log.info({ executionId, tasks: messages.length, taskManagers: [...new Set(slots.map((s) => s.taskManagerId))] },
      `Deploying ${messages.length} task(s) of job ${this.jobId} (execution ${executionId}).`);
    for (const { tm, msg } of messages) {
      const target = this.deps.taskManager(tm);
      if (!target) {
        this.failExecution(new Error(`TaskManager ${tm} disappeared before its tasks were deployed.`));
        return;
      }
      target.send(msg);
    }
  }

  /** A TaskManager reported a task's state. */
  onTaskState(update: TaskExecutionState__Output): void {
    const attempt = this.attempts.get(update.attempt_id);
    if (!attempt || TERMINAL_TASK_STATES.has(attempt.state)) return;
    attempt.state = update.state;
    this.emit('changed');
    if (update.state === 'TASK_RUNNING' && this.checkpointableExecution()) this.coordinator.startPeriodic();
    if (update.state === 'TASK_FAILED') {
      const cause = update.failure ?? { name: 'Error', message: 'unknown task failure', stack: '' };
      if ((cause.name === 'StateFormatError' || cause.name === 'StateFileError') && this.restoredFrom && this.coordinator.store.remove(this.restoredFrom.checkpointId)) {
        this.log.warn({ checkpointId: this.restoredFrom.checkpointId }, `Checkpoint ${this.restoredFrom.checkpointId} could not be restored (${cause.message}); the next attempt falls back to the previous one.`);
      }
      this.log.warn({ attemptId: attempt.attemptId, cause: cause.message }, `Task ${this.taskName(attempt)} failed: ${cause.message}`);
      this.failExecution(cause);
    }
    this.checkProgress();
  }

  /** Every task on `taskManagerId` is gone with it. */
  onTaskManagerLost(taskManagerId: string, reason: string): void {
    const lost = [...this.attempts.values()].filter((a) => a.taskManagerId === taskManagerId && !TERMINAL_TASK_STATES.has(a.state));
    for (const a of lost) a.state = this.state === 'CANCELLING' ? 'TASK_CANCELED' : 'TASK_FAILED';
    if (lost.length === 0) { this.checkProgress(); return; }
    if (this.state === 'CANCELLING' || this.cancelWait) { this.checkProgress(); return; }
    this.failExecution({ name: 'TaskManagerLostError', message: `TaskManager ${taskManagerId} was lost: ${reason}.`, stack: '' });
  }

  /** `flink cancel`: cancels every task; CANCELED once all confirmed (or their TaskManagers are gone). */
  cancel(): void {
    if (this.isTerminal) return;
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
    this.coordinator.stopPeriodic();
    const live = [...this.attempts.values()].filter((a) => !TERMINAL_TASK_STATES.has(a.state));
    if (live.length === 0) { this.terminate('CANCELED'); return; }
    this.setState('CANCELLING');
    this.cancelWait?.cancel();
    this.cancelWait = undefined;
    this.sendCancel(live);
    this.checkProgress();
  }

  details(): JobDetails {
    const now = this.deps.clock.now();
    const vertices = this.graph.vertices.map((v, vi) => ({
      id: v.id, name: v.name, parallelism: v.parallelism,
      subtasks: [...this.attempts.values()].filter((a) => a.vertexIndex === vi).sort((a, b) => a.subtaskIndex - b.subtaskIndex)
        .map((a) => ({ index: a.subtaskIndex, state: a.state, task_manager_id: a.taskManagerId, host: this.deps.taskManager(a.taskManagerId)?.host ?? '' })),
    }));
    return {
      job_id: this.jobId,
      name: this.graph.job_name,
      state: this.state,
      start_time: this.submittedAt,
      end_time: this.endedAt,
      duration_ms: (this.endedAt || now) - this.submittedAt,
      failure: this.failure,
      restarts: this.restarts,
      vertices,
      waiting_reason: this.waitingReason,
      last_checkpoint_id: this.coordinator.store.latest()?.checkpointId ?? 0,
      last_checkpoint_path: this.coordinator.store.latest()?.directory ? displayPath(this.coordinator.store.latest()!.directory) : '',
    };
  }

  onAcknowledgeCheckpoint(ack: AcknowledgeCheckpoint__Output): void {
    this.coordinator.receiveAcknowledge(ack);
  }

  onDeclineCheckpoint(decline: DeclineCheckpoint__Output): void {
    this.coordinator.receiveDecline(decline);
  }

  /**
   * `flink savepoint` / `cancel -s` / `stop [--drain]`: resolves with the
   * savepoint's path once it completed (and, for stop, once the job finished).
   * A failed savepoint leaves the job running.
   */
  async triggerSavepoint(targetDirectory: string | undefined, mode: SavepointMode): Promise<string> {
    if (this.state !== 'RUNNING') {
      throw Object.assign(new Error(`Job ${this.jobId} is ${this.state}; savepoints can only be taken of a RUNNING job.`), { name: 'IllegalStateError' });
    }
    const stop = mode === 'STOP_WITH_SAVEPOINT' || mode === 'STOP_WITH_SAVEPOINT_DRAIN';
    const completed = await this.coordinator.triggerSavepoint(targetDirectory, { stopSources: stop, drain: mode === 'STOP_WITH_SAVEPOINT_DRAIN' });
    const path = displayPath(completed.directory);
    if (mode === 'CANCEL_WITH_SAVEPOINT') {
      this.cancel();
      await this.whenTerminal();
    } else if (stop) {
      const state = await this.whenTerminal();
      if (state !== 'FINISHED') throw new Error(`The savepoint ${path} completed, but job ${this.jobId} ended ${state} instead of FINISHED.`);
    }
    return path;
  }

  private whenTerminal(): Promise<JobState> {
    if (this.isTerminal) return Promise.resolve(this.state);
    return new Promise((resolve) => this.terminalWaiters.push(resolve));
  }

  /** The running execution, when every task runs (checkpoints need all of them). */
  private checkpointableExecution(): CheckpointableExecution | undefined {
    if (this.state !== 'RUNNING') return undefined;
    const attempts = [...this.attempts.values()];
    if (attempts.length === 0 || attempts.some((a) => a.state !== 'TASK_RUNNING')) return undefined;
    const sourcesByTaskManager = new Map<string, string[]>();
    const attemptsByTaskManager = new Map<string, string[]>();
    for (const a of attempts) {
      const add = (m: Map<string, string[]>) => { const l = m.get(a.taskManagerId) ?? []; l.push(a.attemptId); m.set(a.taskManagerId, l); };
      add(attemptsByTaskManager);
      if (this.graph.vertices[a.vertexIndex]!.is_source) add(sourcesByTaskManager);
    }
    return {
      sourcesByTaskManager,
      attemptsByTaskManager,
      attempt: (id) => {
        const a = this.attempts.get(id);
        return a && { vertexId: this.graph.vertices[a.vertexIndex]!.id, subtaskIndex: a.subtaskIndex };
      },
    };
  }

  private checkProgress(): void {
    const all = [...this.attempts.values()];
    const allTerminal = all.every((a) => TERMINAL_TASK_STATES.has(a.state));
    if (this.state === 'CANCELLING' && allTerminal) { this.terminate('CANCELED'); return; }
    if (this.cancelWait && allTerminal) { this.cancelWait.cancel(); this.cancelWait = undefined; this.afterExecutionCancelled(); return; }
    if (this.state === 'RUNNING' && all.length > 0 && all.every((a) => a.state === 'TASK_FINISHED')) this.terminate('FINISHED');
  }

  /** A task failed or a TaskManager was lost: cancel the rest of this execution, then restart or fail. */
  private failExecution(cause: SerializedError | Error): void {
    if (this.isTerminal || this.state === 'CANCELLING' || this.cancelWait || this.restartTimer) return;
    this.failure = cause instanceof Error ? serializeError(cause) : cause;
    this.coordinator.stopPeriodic();
    void this.coordinator.abortAll('JOB_FAILOVER');
    const delay = this.restartStrategy.onFailure(this.deps.clock.now());
    this.pendingRestartDelay = delay;
    this.setState(delay === undefined ? 'FAILING' : 'RESTARTING');
    const live = [...this.attempts.values()].filter((a) => !TERMINAL_TASK_STATES.has(a.state));
    this.sendCancel(live);
    this.cancelWait = this.deps.timers.setTimeout(() => {
      this.cancelWait = undefined;
      this.log.warn('Not every task confirmed its cancellation in time; continuing the failover.');
      this.afterExecutionCancelled();
    }, CANCEL_CONFIRM_TIMEOUT_MS);
    // Every task may already be gone (e.g. all on the lost TaskManager): then the failover goes on at once.
    this.checkProgress();
  }

  private afterExecutionCancelled(): void {
    this.releaseSlots();
    const delay = this.pendingRestartDelay;
    if (delay === undefined) {
      this.log.error({ cause: this.failure?.message }, `Job ${this.jobId} failed: ${this.failure?.message}`);
      this.terminate('FAILED');
      return;
    }
    this.log.info({ delayMs: delay }, `Restarting job ${this.jobId} in ${delay} ms (restart ${this.restarts + 1}).`);
    this.restartTimer = this.deps.timers.setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts++;
      this.executionId++;
      this.trySchedule();
    }, delay);
  }

  private sendCancel(attempts: ExecutionAttempt[]): void {
    for (const a of attempts) {
      const tm = this.deps.taskManager(a.taskManagerId);
      if (tm) tm.send({ cancel_task: { attempt_id: a.attemptId, job_id: this.jobId } });
      else a.state = 'TASK_CANCELED';
    }
  }

  private releaseSlots(): void {
    this.deps.slotPool.release(this.jobId);
    this.slots = undefined;
  }

  private terminate(state: 'FINISHED' | 'CANCELED' | 'FAILED'): void {
    this.restartTimer?.cancel();
    this.cancelWait?.cancel();
    this.restartTimer = undefined;
    this.cancelWait = undefined;
    this.releaseSlots();
    this.endedAt = this.deps.clock.now();
    if (state !== 'FAILED') this.failure = undefined;
    this.setState(state);
    this.log.info({ state, durationMs: this.endedAt - this.submittedAt }, `Job ${this.graph.job_name} (${this.jobId}) switched to ${state}.`);
    this.coordinator.onJobEnd(state).catch((e: Error) => this.log.warn(`Cleaning up checkpoints failed: ${e.message}`));
    this.emit('terminated', state);
    for (const w of this.terminalWaiters.splice(0)) w(state);
  }

  private setState(state: JobState): void {
    if (this.state === state) return;
    this.log.info({ from: this.state, to: state }, `Job ${this.jobId} switched from ${this.state} to ${state}.`);
    this.state = state;
    this.emit('changed');
  }

  private taskName(a: ExecutionAttempt): string {
    const v = this.graph.vertices[a.vertexIndex]!;
    return `${v.name} (${a.subtaskIndex + 1}/${v.parallelism})`;
  }
}

export type { TaskState };
