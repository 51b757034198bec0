import { EventEmitter } from 'node:events';
import {
  CheckpointingOptions, generateAttemptId, serializeError,
  type Cancellable, type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import type {
  DeployTask, JobArtifact, JobDetails, JobGraph__Output, JobManagerMessage, JobState, SerializedError,
  SubmitJobRequest__Output, TaskExecutionState__Output, TaskState,
} from '@tsflink/proto';
import type { SlotPool, Slot } from '../scheduler/slot-pool.js';
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

  constructor(private readonly deps: JobMasterDeps) {
    super();
    this.jobId = deps.jobId;
    this.graph = deps.request.job_graph!;
    this.submittedAt = deps.clock.now();
    this.log = deps.logger;
    const interval = checkpointIntervalOf(this.graph.checkpoint?.interval_ms, deps.config);
    this.restartStrategy = createRestartStrategy(this.graph.restart_strategy ?? undefined, deps.config, interval !== undefined);
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
    if (this.isTerminal || this.state === 'CANCELLING' || this.slots || this.restartTimer || this.cancelWait) return;
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
    this.deploy(slots);
  }

  private deploy(slots: Slot[]): void {
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
    if (update.state === 'TASK_FAILED') {
      const cause = update.failure ?? { name: 'Error', message: 'unknown task failure', stack: '' };
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
    this.emit('terminated', state);
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
