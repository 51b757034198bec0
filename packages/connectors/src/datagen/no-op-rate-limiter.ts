import type { RateLimiter } from './rate-limiter.js';

const AVAILABLE: Promise<void> = Promise.resolve();

/** Grants every request at once: no rate limit. */
export class NoOpRateLimiter implements RateLimiter {
  acquire(max: number): number {
    return max;
  }

  whenAvailable(): Promise<void> {
    return AVAILABLE;
  }

  close(): void {}
}
