/** The AWS SDK retry hook built on the shared classifier (driven here by hand, as the SDK drives it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassifierRetryStrategy } from '../src/s3/classifier-retry-strategy.js';

const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });

test('the strategy pauses with the injected sleep, tells the SDK to wait 0 ms, and stops at the budget', async () => {
  const slept: number[] = [];
  const strategy = new ClassifierRetryStrategy({
    policy: { maxAttempts: 3, baseDelayMs: 10, throttledBaseDelayMs: 40, maxDelayMs: 1_000 },
    sleep: async (ms) => { slept.push(ms); },
    random: () => 0,
  });
  let token = await strategy.acquireInitialRetryToken('s3');
  assert.equal(token.getRetryCount(), 0);
  token = await strategy.refreshRetryTokenForRetry(token, { error: slowDown });
  assert.deepEqual([token.getRetryCount(), token.getRetryDelay()], [1, 0]);
  token = await strategy.refreshRetryTokenForRetry(token, { error: slowDown });
  assert.equal(token.getRetryCount(), 2);
  assert.deepEqual(slept, [20, 40]);
  await assert.rejects(strategy.refreshRetryTokenForRetry(token, { error: slowDown }), (e) => e === slowDown, 'third attempt was the last');
});

test('the strategy refuses to retry a permanent failure', async () => {
  const strategy = new ClassifierRetryStrategy({ sleep: async () => assert.fail('must not pause') });
  const noSuchKey = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  await assert.rejects(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), { error: noSuchKey }), (e) => e === noSuchKey);
});
