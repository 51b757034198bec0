import type { TaskStateSnapshot__Output } from '@tsflink/proto';
import type { CheckpointKind } from '@tsflink/runtime';

/** What an acknowledgement did to a pending checkpoint. */
export type AckResult = 'ACCEPTED' | 'DUPLICATE' | 'UNKNOWN_TASK';

/**
 * A checkpoint that was triggered and waits for every task's acknowledgement
 * (pure bookkeeping: no I/O, no timers).
 */
export class PendingCheckpoint {
  private readonly waitingFor: Set<string>;
  readonly states = new Map<string, TaskStateSnapshot__Output>();

  constructor(
    readonly checkpointId: number,
    readonly timestamp: number,
    readonly kind: CheckpointKind,
    /** Directory the tasks write into ('' = JobManager memory). */
    readonly directory: string,
    readonly stopSources: boolean,
    expectedAttempts: Iterable<string>,
  ) {
    this.waitingFor = new Set(expectedAttempts);
  }

  acknowledge(attemptId: string, state: TaskStateSnapshot__Output): AckResult {
    if (this.states.has(attemptId)) return 'DUPLICATE';
    if (!this.waitingFor.delete(attemptId)) return 'UNKNOWN_TASK';
    this.states.set(attemptId, state);
    return 'ACCEPTED';
  }

  isExpected(attemptId: string): boolean {
    return this.waitingFor.has(attemptId) || this.states.has(attemptId);
  }

  get isFullyAcknowledged(): boolean {
    return this.waitingFor.size === 0;
  }

  get missing(): number {
    return this.waitingFor.size;
  }
}
