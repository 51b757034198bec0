import type { CheckpointMetadata } from '@tsflink/runtime';

/** A completed checkpoint the job may restore from. */
export interface CompletedCheckpoint {
  checkpointId: number;
  /** Its directory ('' for checkpoints kept in JobManager memory). */
  directory: string;
  metadata: CheckpointMetadata;
}

/**
 * The retained completed checkpoints of a job, newest last (pure bookkeeping).
 * Adding one beyond `numRetained` returns the subsumed ones for deletion;
 * a checkpoint found damaged is dropped so recovery falls back to the previous.
 */
export class CompletedCheckpointStore {
  private readonly checkpoints: CompletedCheckpoint[] = [];

  constructor(private readonly numRetained: number) {}

  /** Adds a completed checkpoint; returns those it subsumes (to delete). */
  add(checkpoint: CompletedCheckpoint): CompletedCheckpoint[] {
    this.checkpoints.push(checkpoint);
    this.checkpoints.sort((a, b) => a.checkpointId - b.checkpointId);
    return this.checkpoints.length > this.numRetained ? this.checkpoints.splice(0, this.checkpoints.length - this.numRetained) : [];
  }

  latest(): CompletedCheckpoint | undefined {
    return this.checkpoints[this.checkpoints.length - 1];
  }

  all(): readonly CompletedCheckpoint[] {
    return this.checkpoints;
  }

  /** Forgets a checkpoint (damaged); returns whether it was retained. */
  remove(checkpointId: number): boolean {
    const i = this.checkpoints.findIndex((c) => c.checkpointId === checkpointId);
    if (i < 0) return false;
    this.checkpoints.splice(i, 1);
    return true;
  }

  /** Takes every retained checkpoint out (job end). */
  drain(): CompletedCheckpoint[] {
    return this.checkpoints.splice(0, this.checkpoints.length);
  }
}
