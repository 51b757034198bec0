/**
 * How a `DataGeneratorSource` paces its readers (Flink's `RateLimiterStrategy`).
 * The strategy is planned with the job and creates one limiter per reader,
 * knowing the source's parallelism, so a total rate is split evenly.
 */
import type { ConnectorTime } from '../util/connector-time.js';
import { systemConnectorTime } from '../util/connector-time.js';
import { NoOpRateLimiter } from './no-op-rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { TokenBucketRateLimiter } from './token-bucket-rate-limiter.js';

export interface RateLimiterStrategy {
  /** A limiter for one of `parallelism` readers. */
  createRateLimiter(parallelism: number): RateLimiter;
}

export const RateLimiterStrategy = {
  /**
   * At most `recordsPerSecond` records per second in total across all
   * subtasks: each of the `p` readers gets `recordsPerSecond / p`.
   *
   * @param time clock and timers; defaults to a monotonic clock and Node's
   *   timers (tests pass a `ManualTimerService`).
   */
  perSecond(recordsPerSecond: number, time?: ConnectorTime): RateLimiterStrategy {
    if (!(recordsPerSecond > 0) || !Number.isFinite(recordsPerSecond)) {
      throw new RangeError(`RateLimiterStrategy.perSecond() needs a positive finite rate, got ${recordsPerSecond}.`);
    }
    return {
      createRateLimiter(parallelism: number): RateLimiter {
        if (!Number.isSafeInteger(parallelism) || parallelism < 1) {
          throw new RangeError(`The parallelism must be a positive integer, got ${parallelism}.`);
        }
        return new TokenBucketRateLimiter(recordsPerSecond / parallelism, time ?? systemConnectorTime());
      },
    };
  },

  /** No limit: readers emit as fast as downstream accepts. */
  noOp(): RateLimiterStrategy {
    return { createRateLimiter: () => new NoOpRateLimiter() };
  },
} as const;
