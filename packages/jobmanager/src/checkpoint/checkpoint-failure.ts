/** Why a checkpoint did not complete (Flink's CheckpointFailureReason), each with its fixed message. */
export const CheckpointFailureReason = {
  EXPIRED: 'Checkpoint expired before completing.',
  TASK_DECLINED: 'A task declined the checkpoint.',
  NOT_ALL_TASKS_RUNNING: 'Not all tasks are running.',
  TOO_MANY_CONCURRENT: 'Too many checkpoints in progress.',
  JOB_FAILOVER: 'The job is failing over.',
  JOB_STOPPED: 'The job stopped.',
  IO_EXCEPTION: 'Writing the checkpoint metadata failed.',
  CHECKPOINTING_DISABLED: 'Checkpointing disabled. You can enable it via the execution environment of your job',
} as const;
export type CheckpointFailureReasonName = keyof typeof CheckpointFailureReason;

/** A checkpoint or savepoint failed; `reason` classifies it, the message says what happened. */
export class CheckpointException extends Error {
  constructor(readonly reason: CheckpointFailureReasonName, detail?: string) {
    super(detail ? `${CheckpointFailureReason[reason].replace(/\.$/, '')}: ${detail}` : CheckpointFailureReason[reason]);
    this.name = 'CheckpointException';
  }
}

/**
 * Counts checkpoint failures in a row (Flink's CheckpointFailureManager): more
 * than `tolerable` consecutive failures fail the job; a completed checkpoint
 * resets the count. Failures that say nothing about the job's health (too many
 * concurrent, failover, stop, not all tasks running) are not counted.
 */
export class CheckpointFailureManager {
  private consecutive = 0;

  constructor(private readonly tolerable: number) {}

  /** Returns true when the job must fail. */
  onFailure(reason: CheckpointFailureReasonName): boolean {
    if (reason === 'TOO_MANY_CONCURRENT' || reason === 'JOB_FAILOVER' || reason === 'JOB_STOPPED' || reason === 'NOT_ALL_TASKS_RUNNING') return false;
    this.consecutive++;
    return this.consecutive > this.tolerable;
  }

  onSuccess(): void {
    this.consecutive = 0;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }
}
