/**
 * Plugs tsflink's retry classifier and backoff into the AWS SDK's retry hook
 * (its "RetryStrategyV2": acquire a token, refresh it after a failure, record
 * success). Every SDK request, including the part uploads that the SDK's
 * multipart Upload sends on its own, then retries exactly as the rest of our
 * remote storage does: same classifier, same budget, same pauses.
 *
 * The pause is taken here, with the injected sleep, and the SDK is told to wait
 * 0 ms, so tests drive time and the SDK adds no delay of its own.
 */
import { backoffDelay, classifyFailure, DEFAULT_RETRY_POLICY, realSleep, type RetryEvent, type RetryPolicy, type Sleep } from '../retry.js';

/** The SDK's retry token: how many retries so far and how long to wait before the next attempt. */
export interface SdkRetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** Collaborators of {@link ClassifierRetryStrategy}. */
export interface ClassifierRetryStrategyOptions {
  policy?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  /** Called before each pause, e.g. to log the retry. */
  onRetry?: (event: RetryEvent) => void;
}

/** A retry strategy for the AWS SDK client config (`retryStrategy`), driven by {@link classifyFailure}. */
export class ClassifierRetryStrategy {
  /** Reported by the SDK in its user agent. */
  readonly mode = 'tsflink-classifier';
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(private readonly options: ClassifierRetryStrategyOptions = {}) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? realSleep;
  }

  /** The token of a new request: no retries yet. */
  async acquireInitialRetryToken(_scope: string): Promise<SdkRetryToken> {
    return retryToken(0);
  }

  /**
   * Called by the SDK after a failed attempt. Throws (the SDK then rethrows the
   * request's error) when the failure is permanent or the budget is spent;
   * otherwise pauses and returns the token for the next attempt.
   */
  async refreshRetryTokenForRetry(token: SdkRetryToken, errorInfo: { error?: unknown }): Promise<SdkRetryToken> {
    const attempt = token.getRetryCount() + 1;
    const kind = classifyFailure(errorInfo.error);
    if (kind === 'permanent' || attempt >= this.policy.maxAttempts) {
      throw errorInfo.error instanceof Error ? errorInfo.error : new Error('S3 request failed');
    }
    const delayMs = backoffDelay(this.policy, kind, attempt, this.options.random);
    this.options.onRetry?.({ error: errorInfo.error, kind, attempt, delayMs });
    await this.sleep(delayMs);
    return retryToken(attempt);
  }

  recordSuccess(_token: SdkRetryToken): void {
    // No shared retry quota: the budget is per request.
  }
}

function retryToken(retries: number): SdkRetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => 0 };
}
