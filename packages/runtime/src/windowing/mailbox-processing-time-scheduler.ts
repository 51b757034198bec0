import type { Cancellable, ProcessingTimeScheduler } from './processing-time-scheduler.js';

/** The longest wait `setTimeout` supports (2^31 − 1 ms, about 24.8 days); longer waits are chained. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

class ScheduledCallback implements Cancellable {
  cancelled = false;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly at: number, readonly fire: () => void, private readonly owner: MailboxProcessingTimeScheduler) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.owner.forget(this);
  }
}

/**
 * The task's {@link ProcessingTimeScheduler} (Flink's `SystemProcessingTimeService`
 * behind the mailbox): a callback waits on a Node timer, then is *posted* to the
 * task's mailbox, so it runs on the task loop between records and never during
 * a record, a watermark or a snapshot. Waits beyond `setTimeout`'s limit are
 * chained. Timers are unref'd: a pending processing-time timer never keeps a
 * process alive on its own.
 *
 * {@link quiesce} when the task ends (finished, cancelled, failed): pending
 * callbacks are dropped, and so are callbacks already posted but not yet run.
 */
export class MailboxProcessingTimeScheduler implements ProcessingTimeScheduler {
  private readonly pending = new Set<ScheduledCallback>();
  private quiesced = false;

  /**
   * @param post puts an action into the task's mailbox (`mailbox.post`)
   * @param clock processing time in epoch ms (the TaskManager's `now`)
   */
  constructor(private readonly post: (action: () => void) => void, private readonly clock: () => number) {}

  now(): number {
    return this.clock();
  }

  schedule(at: number, fire: () => void): Cancellable {
    const callback = new ScheduledCallback(at, fire, this);
    if (this.quiesced) {
      callback.cancelled = true;
      return callback;
    }
    this.pending.add(callback);
    this.arm(callback);
    return callback;
  }

  /** Number of callbacks scheduled and not yet run, cancelled or dropped. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Drops every pending callback; later `schedule` calls are ignored. Idempotent. */
  quiesce(): void {
    this.quiesced = true;
    for (const callback of [...this.pending]) callback.cancel();
  }

  /** @internal Called by a cancelled callback. */
  forget(callback: ScheduledCallback): void {
    this.pending.delete(callback);
  }

  private arm(callback: ScheduledCallback): void {
    const wait = Math.max(0, callback.at - this.clock());
    const chained = wait > MAX_TIMEOUT_MS;
    callback.timer = setTimeout(() => {
      if (callback.cancelled) return;
      if (chained) {
        this.arm(callback);
        return;
      }
      this.post(() => {
        if (callback.cancelled) return;
        this.pending.delete(callback);
        callback.cancelled = true;
        callback.fire();
      });
    }, chained ? MAX_TIMEOUT_MS : wait);
    callback.timer.unref?.();
  }
}
