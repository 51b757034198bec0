/**
 * Restart strategies set in code (Flink's `RestartStrategies`); without one the
 * cluster configuration decides (fixed-delay when checkpointing, else none).
 * Delays are milliseconds.
 */
import type { RestartStrategySettings } from '../graph/job-graph.js';

function checkNonNegative(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be a non-negative number, got ${value}.`);
}

export const RestartStrategies = {
  /** A failure fails the job. */
  noRestart(): RestartStrategySettings {
    return { type: 'none' };
  },

  /** Restarts up to `attempts` times, waiting `delayMs` before each restart. */
  fixedDelayRestart(attempts: number, delayMs: number): RestartStrategySettings {
    if (!Number.isInteger(attempts) || attempts < 0) throw new Error(`The number of restart attempts must be a non-negative integer, got ${attempts}.`);
    checkNonNegative(delayMs, 'The restart delay');
    return { type: 'fixed-delay', attempts, delayMs };
  },

  /**
   * Restarts with a delay growing from `initialBackoffMs` by `backoffMultiplier`
   * up to `maxBackoffMs`; unbounded unless `attempts` is given.
   */
  exponentialDelayRestart(
    initialBackoffMs: number, maxBackoffMs: number, backoffMultiplier: number, attempts?: number,
  ): RestartStrategySettings {
    checkNonNegative(initialBackoffMs, 'The initial backoff');
    if (!Number.isFinite(maxBackoffMs) || maxBackoffMs < initialBackoffMs) {
      throw new Error(`The maximum backoff (${maxBackoffMs} ms) must be at least the initial backoff (${initialBackoffMs} ms).`);
    }
    if (!Number.isFinite(backoffMultiplier) || backoffMultiplier < 1) throw new Error(`The backoff multiplier must be at least 1, got ${backoffMultiplier}.`);
    if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0)) {
      throw new Error(`The number of restart attempts must be a non-negative integer, got ${attempts}.`);
    }
    return {
      type: 'exponential-delay', initialDelayMs: initialBackoffMs, maxDelayMs: maxBackoffMs, multiplier: backoffMultiplier,
      ...(attempts === undefined ? {} : { attempts }),
    };
  },
} as const;
