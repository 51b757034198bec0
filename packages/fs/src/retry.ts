/**
 * Retrying remote storage calls (S3, WebHDFS). This file holds the one place
 * that decides which failures deserve another attempt ({@link classifyFailure}),
 * how long to wait before it (exponential backoff within a budget of attempts),
 * and the time limit every single remote call runs under ({@link withTimeout}).
 */
import { TsflinkError } from '@tsflink/core';

/**
 * What a failure means for a retry:
 * - `throttled`: the service asks us to slow down (HTTP 429, 503 SlowDown); retry after a longer pause;
 * - `transient`: the call may well succeed if repeated (connection refused or reset, timeouts, 500/502/504);
 * - `permanent`: repeating cannot help (missing file or bucket, bad credentials, bad request).
 */
export type FailureKind = 'throttled' | 'transient' | 'permanent';

/** Error codes (AWS `Code`/`name`, HDFS exception names) of services asking the caller to slow down. */
const THROTTLING_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException',
  'TooManyRequests', 'TooManyRequestsException', 'RequestLimitExceeded', 'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException', 'PriorRequestNotComplete',
]);

/** Error codes of server-side conditions that pass: AWS 5xx codes, HDFS retriable namenode states, timeouts. */
const TRANSIENT_CODES = new Set([
  'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
  'RetriableException', 'StandbyException', 'SafeModeException', 'ObserverRetryOnActiveException',
]);

/** Node.js / HTTP client network error codes: the request may not have reached the server, or its answer was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);

const THROTTLING_STATUS = new Set([429, 503]);
const TRANSIENT_STATUS = new Set([500, 502, 504]);

/**
 * The retry classifier shared by every remote file system. It reads the fields
 * the clients put on their errors: `name`/`code`/`Code` (AWS SDK, Node.js,
 * the `request` library), `exception` (HDFS RemoteException), the HTTP status
 * (`$metadata.httpStatusCode`, `statusCode`, `status`) and, one level down, `cause`.
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof RemoteCallTimeoutError) return 'transient';
  const codes = errorCodes(error);
  const status = httpStatusOf(error);
  if (codes.some((c) => THROTTLING_CODES.has(c)) || (status !== undefined && THROTTLING_STATUS.has(status))) {
    return 'throttled';
  }
  if (codes.some((c) => TRANSIENT_CODES.has(c) || NETWORK_CODES.has(c))) return 'transient';
  if (status !== undefined && TRANSIENT_STATUS.has(status)) return 'transient';
  return 'permanent';
}

/** The HTTP status an error carries, if any (AWS SDK `$metadata`, or `statusCode`/`status`). */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { $metadata?: { httpStatusCode?: unknown }; statusCode?: unknown; status?: unknown };
  for (const value of [e.$metadata?.httpStatusCode, e.statusCode, e.status]) {
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/** The code-like strings of an error and of its direct cause. */
function errorCodes(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 2 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { name?: unknown; code?: unknown; Code?: unknown; exception?: unknown; cause?: unknown };
    for (const value of [e.name, e.code, e.Code, e.exception]) if (typeof value === 'string') out.push(value);
    current = e.cause;
  }
  return out;
}

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** The budget: attempts in total, the first one included. */
  readonly maxAttempts: number;
  /** Pause before the first retry of a transient failure; doubles with each retry. */
  readonly baseDelayMs: number;
  /** Pause before the first retry after throttling (a service asking to slow down gets a longer pause); doubles too. */
  readonly throttledBaseDelayMs: number;
  /** Upper bound of any single pause. */
  readonly maxDelayMs: number;
}

/** 5 attempts; pauses 100, 200, 400, 800 ms (throttling: 500 ms, 1, 2, 4 s), each with jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 100,
  throttledBaseDelayMs: 500,
  maxDelayMs: 5_000,
});

/**
 * The pause before retry number `retry` (1 for the first retry): the base delay
 * for the failure kind doubled per retry, capped at `maxDelayMs`, then scaled
 * by a random factor in [0.5, 1) so that many clients do not retry in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, kind: FailureKind, retry: number, random: () => number = Math.random): number {
  const base = kind === 'throttled' ? policy.throttledBaseDelayMs : policy.baseDelayMs;
  const exponential = Math.min(policy.maxDelayMs, base * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/** Waits for a number of milliseconds; injected so that tests need not wait. */
export type Sleep = (millis: number) => Promise<void>;

/** The real {@link Sleep}, on Node.js timers. */
export const realSleep: Sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

/** A retry about to happen, as reported to {@link RetryOptions.onRetry}. */
export interface RetryEvent {
  readonly error: unknown;
  readonly kind: FailureKind;
  /** The attempt that just failed (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Collaborators and policy of {@link withRetry}. */
export interface RetryOptions {
  policy?: RetryPolicy;
  sleep?: Sleep;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
  /** Called before each pause, e.g. to log the retry. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Runs `operation` until it succeeds, fails permanently, or the attempt budget
 * is spent; then rethrows its last error unchanged. Only for operations that are
 * safe to repeat (reads, whole-object writes, deletes, renames verified afterwards).
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'permanent' || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(policy, kind, attempt, options.random);
      options.onRetry?.({ error, kind, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}

/** Thrown when a remote call did not finish within its time limit; the call was aborted. Classified transient. */
export class RemoteCallTimeoutError extends TsflinkError {
  constructor(readonly operation: string, readonly timeoutMs: number) {
    super(`${operation} did not finish within ${timeoutMs} ms`);
  }
}

/**
 * Runs one remote call under a time limit. The call gets an AbortSignal that
 * fires when the limit passes, and must stop its I/O on it; the returned
 * promise then rejects with {@link RemoteCallTimeoutError} (whatever the call does).
 */
export function withTimeout<T>(operation: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const error = new RemoteCallTimeoutError(operation, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    let started: Promise<T>;
    try {
      started = call(controller.signal);
    } catch (error) {
      clearTimeout(timer);
      reject(error);
      return;
    }
    started.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}
