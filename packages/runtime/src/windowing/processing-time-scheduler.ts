/**
 * How timer operators learn about processing time: they read the clock and ask
 * for one callback at a time (Flink's `ProcessingTimeService`). The task
 * implements it by posting the callback into its mailbox, so a processing-time
 * timer never runs concurrently with a record, a watermark or a snapshot; tests
 * use {@link ManualProcessingTimeScheduler} to move time explicitly.
 */

/** A scheduled callback that can be withdrawn. */
export interface Cancellable {
  /** Withdraws the callback if it has not run yet; idempotent. */
  cancel(): void;
}

export interface ProcessingTimeScheduler {
  /** Current processing time, epoch milliseconds. */
  now(): number;
  /**
   * Calls `fire` once, on the task's own loop (between records), when processing
   * time has reached `at`. An `at` in the past means "as soon as possible", but
   * never synchronously from inside `schedule`.
   */
  schedule(at: number, fire: () => void): Cancellable;
}
