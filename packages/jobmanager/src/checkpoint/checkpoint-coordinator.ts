import { serializeError, type Cancellable, type Clock, type Logger, type TimerService } from '@tsflink/core';
import { displayPath } from '@tsflink/fs';
import type {
  AcknowledgeCheckpoint__Output, DeclineCheckpoint__Output, JobGraph__Output, JobManagerMessage,
} from '@tsflink/proto';
import type { CheckpointKind, CheckpointMetadata, OperatorState } from '@tsflink/runtime';
import { CheckpointException, CheckpointFailureManager, type CheckpointFailureReasonName } from './checkpoint-failure.js';
import { PendingCheckpoint } from './pending-checkpoint.js';
import { CompletedCheckpointStore, type CompletedCheckpoint } from './completed-checkpoint-store.js';
import { keepCheckpointsOnJobEnd, type CheckpointSettings } from './checkpoint-settings.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import { subtaskStateFromAck } from './state-handles.js';

/** The running execution as the coordinator needs it. */
export interface CheckpointableExecution {
  /** Source attempts to trigger, by TaskManager id. */
  sourcesByTaskManager: Map<string, string[]>;
  /** Every attempt that must acknowledge, by TaskManager id. */
  attemptsByTaskManager: Map<string, string[]>;
  /** Attempt id → (vertex id, subtask index). */
  attempt(attemptId: string): { vertexId: string; subtaskIndex: number } | undefined;
}

export interface CheckpointCoordinatorDeps {
  jobId: string;
  graph: JobGraph__Output;
  settings: CheckpointSettings;
  storage: CheckpointStorage;
  clock: Clock;
  timers: TimerService;
  logger: Logger;
  /** The current execution, or undefined while not every task is running. */
  execution: () => CheckpointableExecution | undefined;
  send: (taskManagerId: string, message: JobManagerMessage) => void;
  /** Too many checkpoint failures in a row: the job must fail over. */
  failJob: (error: Error) => void;
}

interface TriggerRequest {
  kind: CheckpointKind;
  directory: string;
  stopSources: boolean;
  drain: boolean;
  resolve: (c: CompletedCheckpoint) => void;
  reject: (e: Error) => void;
}

/**
 * Triggers checkpoints and savepoints, collects the tasks' acknowledgements,
 * writes `_metadata` last (only then is a checkpoint complete), notifies the
 * tasks, retains `num-retained` checkpoints, and cleans up what failed. Time
 * comes from the injected clock and timers, so tests drive it by hand.
 */
export class CheckpointCoordinator {
  private readonly pending = new Map<number, { checkpoint: PendingCheckpoint; request: TriggerRequest; timeout: Cancellable; initialized: Promise<void> }>();
  readonly store: CompletedCheckpointStore;
  private readonly failures: CheckpointFailureManager;
  private nextCheckpointId = 1;
  private periodic?: Cancellable;
  private lastCompletionTime = Number.NEGATIVE_INFINITY;
  private readonly log: Logger;

  constructor(private readonly deps: CheckpointCoordinatorDeps) {
    this.store = new CompletedCheckpointStore(deps.settings.numRetained);
    this.failures = new CheckpointFailureManager(deps.settings.tolerableFailures);
    // The job's logger already names the job; the coordinator's lines say they are its own.
    this.log = deps.logger.child({ subcomponent: 'CheckpointCoordinator' });
  }

  get isPeriodicCheckpointingEnabled(): boolean {
    return this.deps.settings.intervalMs !== undefined;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Continues numbering after a restored checkpoint (ids are shared by checkpoints and savepoints). */
  resetCheckpointId(restoredId: number): void {
    if (restoredId + 1 > this.nextCheckpointId) {
      this.nextCheckpointId = restoredId + 1;
      this.log.info(`Reset the checkpoint ID of job ${this.deps.jobId} to ${this.nextCheckpointId}.`);
    }
  }

  /** Starts periodic checkpoints (when all tasks run). */
  startPeriodic(): void {
    const interval = this.deps.settings.intervalMs;
    if (interval === undefined || this.periodic) return;
    this.scheduleNext(interval);
  }

  stopPeriodic(): void {
    this.periodic?.cancel();
    this.periodic = undefined;
  }

  private scheduleNext(delay: number): void {
    this.periodic = this.deps.timers.setTimeout(() => {
      this.periodic = undefined;
      this.onPeriodicTick();
    }, Math.max(0, delay));
  }

  private onPeriodicTick(): void {
    const s = this.deps.settings;
    const sinceLast = this.deps.clock.now() - this.lastCompletionTime;
    if (this.pending.size >= s.maxConcurrent) { this.scheduleNext(s.intervalMs!); return; }
    if (sinceLast < s.minPauseMs) { this.scheduleNext(s.minPauseMs - sinceLast); return; }
    this.triggerCheckpoint().catch(() => { /* logged and counted where it failed */ });
    this.scheduleNext(s.intervalMs!);
  }

  /** Triggers a checkpoint now; resolves when it completed. */
  triggerCheckpoint(): Promise<CompletedCheckpoint> {
    return this.trigger('checkpoint', undefined, false, false);
  }

  /** Triggers a savepoint into `targetDir` (or the configured savepoint directory); resolves with its directory. */
  async triggerSavepoint(targetDir: string | undefined, options: { stopSources?: boolean; drain?: boolean } = {}): Promise<CompletedCheckpoint> {
    if (!this.isPeriodicCheckpointingEnabled) throw new CheckpointException('CHECKPOINTING_DISABLED');
    const dir = targetDir || this.deps.settings.savepointsDir;
    if (!dir) {
      throw Object.assign(new Error('No savepoint directory configured. You can either specify a directory for the savepoint when triggering it (flink savepoint <jobId> <targetDirectory>) or configure a cluster-wide default via key \'state.savepoints.dir\' (execution.checkpointing.savepoint-dir).'), { name: 'InvalidArgumentError' });
    }
    return this.trigger('savepoint', dir, !!options.stopSources, !!options.drain);
  }

  private trigger(kind: CheckpointKind, savepointDir: string | undefined, stopSources: boolean, drain: boolean): Promise<CompletedCheckpoint> {
    return new Promise<CompletedCheckpoint>((resolve, reject) => {
      const execution = this.deps.execution();
      if (!execution) { reject(this.failed('NOT_ALL_TASKS_RUNNING', kind)); return; }
      if (kind === 'checkpoint' && this.pending.size >= this.deps.settings.maxConcurrent) { reject(this.failed('TOO_MANY_CONCURRENT', kind)); return; }
      const checkpointId = this.nextCheckpointId++;
      const directory = kind === 'savepoint' ? this.deps.storage.newSavepointLocation(savepointDir!) : this.deps.storage.checkpointLocation(checkpointId);
      const expected = [...execution.attemptsByTaskManager.values()].flat();
      const checkpoint = new PendingCheckpoint(checkpointId, this.deps.clock.now(), kind, directory, stopSources, expected);
      const request: TriggerRequest = { kind, directory, stopSources, drain, resolve, reject };
      const timeout = this.deps.timers.setTimeout(() => {
        void this.abort(checkpointId, new CheckpointException('EXPIRED', `${kind} ${checkpointId} did not complete within ${this.deps.settings.timeoutMs} ms`), 'EXPIRED');
      }, this.deps.settings.timeoutMs);
      const initialized = this.deps.storage.initializeLocation(directory);
      this.pending.set(checkpointId, { checkpoint, request, timeout, initialized: initialized.catch(() => {}) });
      this.log.info({ checkpointId, kind, directory }, `Triggering ${kind} ${checkpointId} of job ${this.deps.jobId}${directory ? ` into ${directory}` : ''}.`);
      initialized.then(() => {
        if (!this.pending.has(checkpointId)) return;
        for (const [tm, attemptIds] of execution.sourcesByTaskManager) {
          this.deps.send(tm, {
            trigger_checkpoint: {
              job_id: this.deps.jobId, checkpoint_id: checkpointId, timestamp: checkpoint.timestamp,
              kind: kind === 'savepoint' ? 'SAVEPOINT_KIND' : 'CHECKPOINT', target_location: directory,
              stop_sources: stopSources, drain, attempt_ids: attemptIds,
            },
          });
        }
      }, (e: Error) => {
        void this.abort(checkpointId, new CheckpointException('IO_EXCEPTION', `cannot create ${directory}: ${e.message}`), 'IO_EXCEPTION');
      });
    });
  }

  receiveAcknowledge(ack: AcknowledgeCheckpoint__Output): void {
    const entry = this.pending.get(ack.checkpoint_id);
    if (!entry) {
      // Late: the checkpoint was aborted (a completed one had every acknowledgement). What the task wrote goes.
      this.log.debug({ checkpointId: ack.checkpoint_id, attemptId: ack.attempt_id }, 'Discarding a late acknowledgement.');
      void this.discardLateState(ack);
      return;
    }
    const result = entry.checkpoint.acknowledge(ack.attempt_id, ack.state ?? { operators: [] });
    if (result !== 'ACCEPTED') return;
    if (entry.checkpoint.isFullyAcknowledged) {
      // Every task has acknowledged: it can no longer be aborted, only finished (or fail writing _metadata).
      this.pending.delete(ack.checkpoint_id);
      entry.timeout.cancel();
      const completion = this.complete(entry.checkpoint, entry.request);
      this.completing.add(completion);
      void completion.finally(() => this.completing.delete(completion));
    }
  }

  /** Completions under way (writing _metadata); job end waits for them. */
  private readonly completing = new Set<Promise<void>>();

  /**
   * A task finished writing for a checkpoint that was aborted meanwhile (for
   * example by the job's cancellation): its files — and the checkpoint
   * directory its write may have re-created — go, and so does the job's
   * directory when the job ended and keeps nothing.
   */
  private async discardLateState(ack: AcknowledgeCheckpoint__Output): Promise<void> {
    const files = new Set<string>();
    for (const op of ack.state?.operators ?? []) for (const h of [op.keyed?.data, op.operator?.data]) if (h?.path) files.add(h.path);
    await Promise.all([...files].map((f) => this.deps.storage.discard(f).catch(() => {})));
    const completed = this.store.all().some((c) => c.checkpointId === ack.checkpoint_id);
    const location = this.deps.storage.checkpointLocation(ack.checkpoint_id);
    if (!completed && location && [...files].some((f) => f.startsWith(`${location}/`))) {
      await this.deps.storage.discard(location).catch(() => {});
    }
    if (this.endedKeepingNothing) await this.deps.storage.discardJobDirectoryIfEmpty().catch(() => {});
  }

  /** Set when the job ended and its retention policy keeps no checkpoint. */
  private endedKeepingNothing = false;

  receiveDecline(decline: DeclineCheckpoint__Output): void {
    if (!this.pending.has(decline.checkpoint_id)) return;
    const cause = decline.reason?.message ?? 'unknown reason';
    void this.abort(decline.checkpoint_id, new CheckpointException('TASK_DECLINED', cause), 'TASK_DECLINED');
  }

  /** Aborts every pending checkpoint (failover, cancel, job end). */
  async abortAll(reason: CheckpointFailureReasonName): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.abort(id, new CheckpointException(reason), reason)));
  }

  private async complete(checkpoint: PendingCheckpoint, request: TriggerRequest): Promise<void> {
    const { checkpointId, kind, directory } = checkpoint;
    try {
      const metadata = this.buildMetadata(checkpoint);
      await this.deps.storage.writeMetadata(directory, metadata);
      const execution = this.deps.execution();
      this.lastCompletionTime = this.deps.clock.now();
      this.failures.onSuccess();
      const completed: CompletedCheckpoint = { checkpointId, directory, metadata };
      if (kind === 'checkpoint') {
        for (const subsumed of this.store.add(completed)) {
          this.deps.storage.discard(subsumed.directory).catch((e: Error) =>
            this.log.warn({ checkpointId: subsumed.checkpointId }, `Could not delete subsumed checkpoint ${subsumed.checkpointId}: ${e.message}`));
        }
      }
      const size = metadata.operators.reduce((n, o) => n + o.subtasks.reduce((m, s) => m + s.stateSize, 0), 0);
      this.log.info({ checkpointId, kind, durationMs: this.lastCompletionTime - checkpoint.timestamp, stateBytes: size, directory },
        `Completed ${kind} ${checkpointId} for job ${this.deps.jobId} (${size} bytes in ${this.lastCompletionTime - checkpoint.timestamp} ms).`);
      if (execution) {
        for (const [tm, attemptIds] of execution.attemptsByTaskManager) {
          this.deps.send(tm, { notify_checkpoint_complete: { job_id: this.deps.jobId, checkpoint_id: checkpointId, attempt_ids: attemptIds } });
        }
      }
      request.resolve(completed);
    } catch (e) {
      const error = new CheckpointException('IO_EXCEPTION', (e as Error).message);
      this.log.warn({ checkpointId, kind }, `${kind === 'savepoint' ? 'Savepoint' : 'Checkpoint'} ${checkpointId} of job ${this.deps.jobId} failed: ${error.message}`);
      this.deps.storage.discard(directory).catch(() => {});
      request.reject(error);
      if (kind === 'checkpoint' && this.failures.onFailure('IO_EXCEPTION')) {
        this.deps.failJob(new Error(`Exceeded checkpoint tolerable failure threshold (${this.deps.settings.tolerableFailures}): ${error.message}`));
      }
    }
  }

  private buildMetadata(checkpoint: PendingCheckpoint): CheckpointMetadata {
    const byOperator = new Map<string, OperatorState>();
    for (const v of this.deps.graph.vertices) {
      for (const o of v.operators) {
        byOperator.set(o.id, { operatorId: o.id, uid: o.uid || undefined, name: o.name, parallelism: v.parallelism, maxParallelism: v.max_parallelism, subtasks: [] });
      }
    }
    const relativeTo = checkpoint.kind === 'savepoint' ? checkpoint.directory : undefined;
    for (const state of checkpoint.states.values()) {
      for (const op of state.operators) {
        const target = byOperator.get(op.operator_id);
        if (!target) continue;
        target.subtasks.push(subtaskStateFromAck(op, relativeTo));
      }
    }
    for (const o of byOperator.values()) o.subtasks.sort((a, b) => a.subtaskIndex - b.subtaskIndex);
    return {
      jobId: this.deps.jobId,
      jobName: this.deps.graph.job_name,
      checkpointId: checkpoint.checkpointId,
      kind: checkpoint.kind,
      triggerTimestamp: checkpoint.timestamp,
      completionTimestamp: this.deps.clock.now(),
      operators: [...byOperator.values()],
    };
  }

  private async abort(checkpointId: number, error: Error, reason: CheckpointFailureReasonName): Promise<void> {
    const entry = this.pending.get(checkpointId);
    if (!entry) return;
    this.pending.delete(checkpointId);
    entry.timeout.cancel();
    const { kind, directory } = entry.checkpoint;
    this.log.warn({ checkpointId, kind, reason }, `${kind === 'savepoint' ? 'Savepoint' : 'Checkpoint'} ${checkpointId} of job ${this.deps.jobId} failed: ${error.message}`);
    const execution = this.deps.execution();
    if (execution) {
      for (const [tm, attemptIds] of execution.attemptsByTaskManager) {
        this.deps.send(tm, { notify_checkpoint_aborted: { job_id: this.deps.jobId, checkpoint_id: checkpointId, attempt_ids: attemptIds } });
      }
    }
    // Nothing of a failed checkpoint stays behind (after its directory was created, if that is still under way).
    entry.initialized.then(() => this.deps.storage.discard(directory))
      .catch((e: Error) => this.log.warn(`Could not delete ${displayPath(directory)}: ${e.message}`));
    entry.request.reject(error);
    if (kind === 'checkpoint' && this.failures.onFailure(reason)) {
      this.deps.failJob(Object.assign(new Error(`Exceeded checkpoint tolerable failure threshold (${this.deps.settings.tolerableFailures}): ${error.message}`), { cause: serializeError(error) }));
    }
  }

  private failed(reason: CheckpointFailureReasonName, kind: CheckpointKind): Error {
    const e = new CheckpointException(reason);
    this.log.debug({ reason, kind }, `Not triggering a ${kind}: ${e.message}`);
    return e;
  }

  /** The job ended: keep or delete retained checkpoints by the retention policy (savepoints are never touched). */
  async onJobEnd(state: 'FINISHED' | 'CANCELED' | 'FAILED'): Promise<void> {
    this.stopPeriodic();
    await this.abortAll('JOB_STOPPED');
    // A fully acknowledged checkpoint (e.g. the savepoint of `flink stop`) still completes.
    await Promise.allSettled([...this.completing]);
    if (keepCheckpointsOnJobEnd(this.deps.settings.retention, state)) {
      const kept = this.store.all().map((c) => displayPath(c.directory)).filter(Boolean);
      if (kept.length) this.log.info({ retained: kept }, `Job ${this.deps.jobId} ${state}: retaining checkpoint(s) ${kept.join(', ')}.`);
      return;
    }
    this.endedKeepingNothing = true;
    for (const c of this.store.drain()) await this.deps.storage.discard(c.directory).catch(() => {});
    await this.deps.storage.discardJobDirectoryIfEmpty().catch(() => {});
  }
}
