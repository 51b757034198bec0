import { CheckpointingOptions, RestartStrategyOptions, type Configuration } from '@tsflink/core';
import type { RestartStrategySettings__Output } from '@tsflink/proto';

/** Decides whether a failed job restarts, and after how long (Flink's RestartBackoffTimeStrategy). */
export interface RestartStrategy {
  /** Records a failure; returns the delay before the restart, or undefined when the job must fail. */
  onFailure(now: number): number | undefined;
  describe(): string;
}

class NoRestart implements RestartStrategy {
  onFailure(): undefined { return undefined; }
  describe(): string { return 'no restarts'; }
}

class FixedDelay implements RestartStrategy {
  private attempts = 0;
  constructor(private readonly maxAttempts: number, private readonly delayMs: number) {}
  onFailure(): number | undefined {
    if (this.attempts >= this.maxAttempts) return undefined;
    this.attempts++;
    return this.delayMs;
  }
  describe(): string {
    return `fixed-delay (${Number.isFinite(this.maxAttempts) ? this.maxAttempts : 'unbounded'} attempts, ${this.delayMs} ms delay)`;
  }
}

class ExponentialDelay implements RestartStrategy {
  private attempts = 0;
  private next: number;
  constructor(initialMs: number, private readonly maxMs: number, private readonly multiplier: number, private readonly maxAttempts: number) {
    this.next = initialMs;
  }
  onFailure(): number | undefined {
    if (this.attempts >= this.maxAttempts) return undefined;
    this.attempts++;
    const delay = this.next;
    this.next = Math.min(this.maxMs, Math.round(this.next * this.multiplier));
    return delay;
  }
  describe(): string { return `exponential-delay (max ${this.maxMs} ms)`; }
}

class FailureRate implements RestartStrategy {
  private failures: number[] = [];
  constructor(private readonly maxFailures: number, private readonly intervalMs: number, private readonly delayMs: number) {}
  onFailure(now: number): number | undefined {
    this.failures = this.failures.filter((t) => now - t < this.intervalMs);
    this.failures.push(now);
    return this.failures.length > this.maxFailures ? undefined : this.delayMs;
  }
  describe(): string { return `failure-rate (${this.maxFailures} per ${this.intervalMs} ms)`; }
}

/**
 * The job's strategy: what the job set in code (`setRestartStrategy`) wins, then
 * `restart-strategy.type` from the configuration, else fixed-delay with unbounded
 * attempts when checkpointing is enabled and no restarts otherwise (Flink's defaults).
 */
export function createRestartStrategy(fromJob: RestartStrategySettings__Output | undefined, config: Configuration, checkpointingEnabled: boolean): RestartStrategy {
  if (fromJob && fromJob.type) {
    switch (fromJob.type) {
      case 'none': return new NoRestart();
      case 'fixed-delay': return new FixedDelay(fromJob.attempts < 0 ? Infinity : fromJob.attempts, fromJob.delay_ms);
      case 'exponential-delay':
        return new ExponentialDelay(fromJob.delay_ms, fromJob.max_delay_ms || 60_000, fromJob.multiplier || 2, fromJob.attempts < 0 ? Infinity : fromJob.attempts);
    }
  }
  const type = config.getOptional(RestartStrategyOptions.TYPE) ?? (checkpointingEnabled ? 'fixed-delay' : 'none');
  switch (type) {
    case 'none': return new NoRestart();
    case 'fixed-delay':
      return new FixedDelay(config.getOptional(RestartStrategyOptions.FIXED_DELAY_ATTEMPTS) ?? Infinity, config.get(RestartStrategyOptions.FIXED_DELAY_DELAY));
    case 'exponential-delay':
      return new ExponentialDelay(config.get(RestartStrategyOptions.EXPONENTIAL_DELAY_INITIAL_BACKOFF), config.get(RestartStrategyOptions.EXPONENTIAL_DELAY_MAX_BACKOFF), 2, Infinity);
    case 'failure-rate':
      return new FailureRate(config.get(RestartStrategyOptions.FAILURE_RATE_MAX_FAILURES), config.get(RestartStrategyOptions.FAILURE_RATE_INTERVAL), config.get(RestartStrategyOptions.FAILURE_RATE_DELAY));
  }
}

/** Whether checkpointing is on for a job: interval set in code, else in the configuration. */
export function checkpointIntervalOf(jobIntervalMs: number | undefined, config: Configuration): number | undefined {
  if (jobIntervalMs && jobIntervalMs > 0) return jobIntervalMs;
  return config.getOptional(CheckpointingOptions.INTERVAL);
}
