import { ManualClock } from './manual-clock.js';
import type { Cancellable, TimerService } from './timer-service.js';

interface ScheduledTimer {
  readonly seq: number;
  readonly fn: () => void;
  /** Absent for one-shot timers. */
  readonly periodMillis?: number;
  dueMillis: number;
  cancelled: boolean;
}

/**
 * A {@link TimerService} driven by a {@link ManualClock}: nothing runs until the
 * test calls {@link advance} (or {@link runDue}). Timers fire in order of due time
 * (ties in the order they were scheduled), with the clock set to each timer's due
 * time while it runs; intervals repeat. Timers scheduled by a running callback
 * fire in the same `advance` call if they fall due within it.
 */
export class ManualTimerService implements TimerService {
  readonly clock: ManualClock;
  private readonly timers: ScheduledTimer[] = [];
  private nextSeq = 0;

  constructor(clock: ManualClock = new ManualClock()) {
    this.clock = clock;
  }

  setTimeout(fn: () => void, delayMillis: number): Cancellable {
    return this.schedule(fn, delayMillis, undefined);
  }

  setInterval(fn: () => void, periodMillis: number): Cancellable {
    // Like Node.js, a period below 1 ms is treated as 1 ms (an interval of 0 would never let time pass).
    return this.schedule(fn, periodMillis, Math.max(1, periodMillis));
  }

  /**
   * Moves the clock forward by `millis`, running every timer that falls due on the
   * way. An error thrown by a callback propagates, leaving the clock at that
   * timer's due time.
   */
  advance(millis: number): void {
    if (millis < 0) throw new RangeError(`Cannot advance by a negative amount (${millis} ms)`);
    const target = this.clock.now() + millis;
    this.runUntil(target);
    this.clock.set(target);
  }

  /** Runs the timers already due at the current time (e.g. after moving the clock directly). */
  runDue(): void {
    this.runUntil(this.clock.now());
  }

  /** Number of timers scheduled and not cancelled (an interval counts once). */
  get pendingCount(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Due time of the next timer, or undefined when none is pending. */
  nextDueTime(): number | undefined {
    return this.nextTimer()?.dueMillis;
  }

  private schedule(fn: () => void, delayMillis: number, periodMillis: number | undefined): Cancellable {
    const delay = Math.max(0, delayMillis);
    const timer: ScheduledTimer = {
      seq: this.nextSeq++,
      fn,
      dueMillis: this.clock.now() + (periodMillis ?? delay),
      cancelled: false,
      ...(periodMillis === undefined ? {} : { periodMillis }),
    };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.remove(timer);
      },
    };
  }

  private runUntil(target: number): void {
    for (let timer = this.nextTimer(); timer && timer.dueMillis <= target; timer = this.nextTimer()) {
      this.clock.set(Math.max(this.clock.now(), timer.dueMillis));
      if (timer.periodMillis === undefined) {
        this.remove(timer);
      } else {
        timer.dueMillis += timer.periodMillis;
      }
      timer.fn();
    }
  }

  private nextTimer(): ScheduledTimer | undefined {
    let next: ScheduledTimer | undefined;
    for (const timer of this.timers) {
      if (timer.cancelled) continue;
      if (!next || timer.dueMillis < next.dueMillis || (timer.dueMillis === next.dueMillis && timer.seq < next.seq)) {
        next = timer;
      }
    }
    return next;
  }

  private remove(timer: ScheduledTimer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }
}
