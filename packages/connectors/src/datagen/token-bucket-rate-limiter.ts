/**
 * A token bucket: permits accrue continuously at `permitsPerSecond`, up to one
 * second's worth (as Guava's SmoothBursty limiter, which Flink uses), so a
 * reader that was held up by back-pressure may catch up by at most a second.
 * The first permit is available at once. A waiting reader is woken when about
 * 10 ms worth of permits (at least one) have accrued, which keeps timer
 * wake-ups at ≤ 100 per second at high rates without hurting accuracy: the
 * long-run rate is exact because fractional permits carry over.
 */
import type { Cancellable } from '@tsflink/core';
import type { ConnectorTime } from '../util/connector-time.js';
import type { RateLimiter } from './rate-limiter.js';

/** Rounding slack, so that e.g. 3 × (1/3) permits count as one. */
const EPSILON = 1e-9;
const WAKE_UP_MILLIS = 10;

export class TokenBucketRateLimiter implements RateLimiter {
  private readonly capacity: number;
  private readonly wakeUpThreshold: number;
  private tokens = 1;
  private lastRefill: number | undefined;
  private waiting: { promise: Promise<void>; resolve: () => void; timer: Cancellable } | undefined;

  /** @param permitsPerSecond positive and finite. */
  constructor(private readonly permitsPerSecond: number, private readonly time: ConnectorTime) {
    if (!(permitsPerSecond > 0) || !Number.isFinite(permitsPerSecond)) {
      throw new RangeError(`A rate limit must be a positive finite number of records per second, got ${permitsPerSecond}.`);
    }
    this.capacity = Math.max(1, permitsPerSecond);
    this.wakeUpThreshold = Math.min(this.capacity, Math.max(1, (permitsPerSecond * WAKE_UP_MILLIS) / 1000));
  }

  acquire(max: number): number {
    this.refill();
    const granted = Math.min(max, Math.floor(this.tokens + EPSILON));
    if (granted <= 0) return 0;
    this.tokens = Math.max(0, this.tokens - granted);
    return granted;
  }

  whenAvailable(): Promise<void> {
    if (this.waiting !== undefined) return this.waiting.promise;
    this.refill();
    if (this.tokens + EPSILON >= this.wakeUpThreshold) return Promise.resolve();
    const delayMillis = Math.max(1, Math.ceil(((this.wakeUpThreshold - this.tokens) * 1000) / this.permitsPerSecond));
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    const timer = this.time.timers.setTimeout(() => this.wake(), delayMillis);
    this.waiting = { promise, resolve, timer };
    return promise;
  }

  close(): void {
    if (this.waiting === undefined) return;
    this.waiting.timer.cancel();
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve();
  }

  private refill(): void {
    const now = this.time.clock.now();
    if (this.lastRefill === undefined) {
      this.lastRefill = now;
      return;
    }
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.lastRefill = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.permitsPerSecond) / 1000);
  }
}
