import type { Cancellable, ProcessingTimeScheduler } from './processing-time-scheduler.js';

interface PendingCallback {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/**
 * A {@link ProcessingTimeScheduler} whose clock only moves when told to: for tests
 * and for deterministic replays. {@link advanceTo} runs the due callbacks in
 * order of their time (then of scheduling), with {@link now} set to each
 * callback's time while it runs; callbacks scheduled meanwhile run in the same
 * call when they are due.
 */
export class ManualProcessingTimeScheduler implements ProcessingTimeScheduler {
  private current: number;
  private pending: PendingCallback[] = [];
  private nextSeq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fire: () => void): Cancellable {
    const callback: PendingCallback = { at, seq: this.nextSeq++, fire, cancelled: false };
    this.pending.push(callback);
    return { cancel: () => { callback.cancelled = true; } };
  }

  /** Number of callbacks scheduled and neither run nor cancelled. */
  get pendingCount(): number {
    let n = 0;
    for (const p of this.pending) if (!p.cancelled) n++;
    return n;
  }

  /** The earliest time a live callback waits for, or undefined. */
  nextScheduledTime(): number | undefined {
    return this.nextDue(Number.POSITIVE_INFINITY)?.at;
  }

  /**
   * Moves the clock forward to `time` (never backwards), running every callback
   * due on the way. Returns how many callbacks ran.
   */
  advanceTo(time: number): number {
    if (time < this.current) throw new RangeError(`Processing time cannot go back from ${this.current} to ${time}`);
    let ran = 0;
    for (let next = this.nextDue(time); next !== undefined; next = this.nextDue(time)) {
      this.pending.splice(this.pending.indexOf(next), 1);
      if (next.at > this.current) this.current = next.at;
      ran++;
      next.fire();
    }
    this.current = time;
    this.pending = this.pending.filter((p) => !p.cancelled);
    return ran;
  }

  /** Moves the clock forward by `ms`. */
  advanceBy(ms: number): number {
    return this.advanceTo(this.current + ms);
  }

  private nextDue(time: number): PendingCallback | undefined {
    let best: PendingCallback | undefined;
    for (const p of this.pending) {
      if (p.cancelled || p.at > time) continue;
      if (best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}
