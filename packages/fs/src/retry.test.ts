import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffDelay, classifyFailure, DEFAULT_RETRY_POLICY, RemoteCallTimeoutError, withRetry, withTimeout,
  type RetryEvent, type RetryPolicy,
} from './retry.js';
import { WebHdfsRemoteError } from './hdfs/webhdfs-errors.js';

/** An error shaped like the AWS SDK's service exceptions. */
function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** An error shaped like a Node.js socket error. */
function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

test('the classifier: throttling, transient failures, and everything else permanent', () => {
  const cases: Array<[unknown, ReturnType<typeof classifyFailure>]> = [
    [awsError('SlowDown', 503), 'throttled'],
    [awsError('ServiceUnavailable', 503), 'throttled'],
    [awsError('TooManyRequests', 429), 'throttled'],
    [awsError('Unknown', 429), 'throttled'],
    [awsError('ThrottlingException', 400), 'throttled'],
    [awsError('InternalError', 500), 'transient'],
    [awsError('Unknown', 502), 'transient'],
    [awsError('RequestTimeout', 400), 'transient'],
    [networkError('ECONNREFUSED'), 'transient'],
    [networkError('ECONNRESET'), 'transient'],
    [networkError('ESOCKETTIMEDOUT'), 'transient'],
    [Object.assign(new Error('fetch failed'), { cause: networkError('ECONNRESET') }), 'transient'],
    [new RemoteCallTimeoutError('S3 read', 100), 'transient'],
    [new WebHdfsRemoteError(500, 'RetriableException', 'namenode busy'), 'transient'],
    [new WebHdfsRemoteError(403, 'StandbyException', 'not active'), 'transient'],
    [new WebHdfsRemoteError(404, 'FileNotFoundException', 'File does not exist: /x'), 'permanent'],
    [new WebHdfsRemoteError(403, 'AccessControlException', 'Permission denied'), 'permanent'],
    [awsError('NoSuchKey', 404), 'permanent'],
    [awsError('NoSuchBucket', 404), 'permanent'],
    [awsError('InvalidAccessKeyId', 403), 'permanent'],
    [awsError('SignatureDoesNotMatch', 403), 'permanent'],
    [networkError('ENOTFOUND'), 'permanent'],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'permanent'],
    [new Error('anything else'), 'permanent'],
    ['a string', 'permanent'],
    [undefined, 'permanent'],
  ];
  for (const [error, expected] of cases) {
    assert.equal(classifyFailure(error), expected, `${(error as Error)?.name ?? String(error)}: ${(error as Error)?.message ?? ''}`);
  }
});

test('backoff doubles per retry from the base of the failure kind, capped, with jitter in [50 %, 100 %)', () => {
  const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, throttledBaseDelayMs: 500, maxDelayMs: 1_000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((r) => backoffDelay(policy, 'transient', r, () => 0)), [50, 100, 200, 400, 500]);
  assert.deepEqual([1, 2, 3].map((r) => backoffDelay(policy, 'throttled', r, () => 0)), [250, 500, 500]);
  assert.equal(backoffDelay(policy, 'transient', 1, () => 0.999), 100);
  assert.equal(backoffDelay(policy, 'throttled', 9, () => 0.999), 1_000);
});

test('withRetry retries transient failures with the injected sleep until success', async () => {
  const slept: number[] = [];
  const events: RetryEvent[] = [];
  let calls = 0;
  const result = await withRetry(async (attempt) => {
    calls++;
    assert.equal(attempt, calls);
    if (attempt < 3) throw awsError('SlowDown', 503);
    return 'done';
  }, { sleep: async (ms) => { slept.push(ms); }, random: () => 0, onRetry: (e) => events.push(e) });
  assert.equal(result, 'done');
  assert.deepEqual(slept, [250, 500]);
  assert.deepEqual(events.map((e) => [e.attempt, e.kind, e.delayMs]), [[1, 'throttled', 250], [2, 'throttled', 500]]);
});

test('withRetry gives up after the budget with the last error, and never retries a permanent one', async () => {
  let calls = 0;
  const last = networkError('ECONNREFUSED');
  await assert.rejects(withRetry(async () => { calls++; throw last; }, { sleep: async () => undefined }), (e) => e === last);
  assert.equal(calls, DEFAULT_RETRY_POLICY.maxAttempts);

  calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw awsError('NoSuchKey', 404); }, { sleep: async () => undefined }), /NoSuchKey/);
  assert.equal(calls, 1);
});

test('withTimeout passes results and errors through, and on expiry aborts the call and rejects with RemoteCallTimeoutError', async () => {
  assert.equal(await withTimeout('fast call', 1_000, async () => 42), 42);
  await assert.rejects(withTimeout('failing call', 1_000, async () => { throw new Error('boom'); }), /boom/);
  await assert.rejects(withTimeout('throwing call', 1_000, () => { throw new Error('sync boom'); }), /sync boom/);

  let aborted = false;
  await assert.rejects(
    withTimeout('S3 read of s3://b/k', 20, (signal) => new Promise(() => signal.addEventListener('abort', () => { aborted = true; }))),
    (e: unknown) => e instanceof RemoteCallTimeoutError && e.message === 'S3 read of s3://b/k did not finish within 20 ms' && classifyFailure(e) === 'transient',
  );
  assert.equal(aborted, true);
});
