import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckpointConfig } from './checkpoint-config.js';
import { CheckpointingMode } from './checkpointing-mode.js';
import { ExternalizedCheckpointCleanup } from './externalized-checkpoint-cleanup.js';
import { RestartStrategies } from './restart-strategies.js';

test('getters give Flink defaults and only explicit settings are exported', () => {
  const c = new CheckpointConfig();
  assert.equal(c.isCheckpointingEnabled(), false);
  assert.equal(c.getCheckpointingMode(), 'EXACTLY_ONCE');
  assert.equal(c.getCheckpointTimeout(), 600_000);
  assert.equal(c.getMaxConcurrentCheckpoints(), 1);
  assert.equal(c.getExternalizedCheckpointCleanup(), 'NO_EXTERNALIZED_CHECKPOINTS');
  assert.deepEqual(c.toSettings(), {});

  c.setCheckpointInterval(5000);
  c.setCheckpointingMode(CheckpointingMode.AT_LEAST_ONCE);
  c.enableExternalizedCheckpoints(CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  c.setCheckpointTimeout(60_000);
  c.setMinPauseBetweenCheckpoints(500);
  c.setMaxConcurrentCheckpoints(2);
  c.setTolerableCheckpointFailureNumber(3);
  assert.equal(c.isExternalizedCheckpointsEnabled(), true);
  assert.deepEqual(c.toSettings(), {
    intervalMs: 5000, mode: 'AT_LEAST_ONCE', externalizedCleanup: 'RETAIN_ON_CANCELLATION',
    timeoutMs: 60_000, minPauseMs: 500, maxConcurrent: 2, tolerableFailures: 3,
  });
  assert.equal(ExternalizedCheckpointCleanup.DELETE_ON_CANCELLATION, 'DELETE_ON_CANCELLATION');
});

test('bad values are refused with Flink messages', () => {
  const c = new CheckpointConfig();
  assert.throws(() => c.setCheckpointInterval(5), /Checkpoint interval must be larger than or equal to 10 ms/);
  assert.throws(() => c.setCheckpointTimeout(0), /Checkpoint timeout must be larger than or equal to 10 ms/);
  assert.throws(() => c.setMinPauseBetweenCheckpoints(-1), /Pause value must be zero or positive/);
  assert.throws(() => c.setMaxConcurrentCheckpoints(0), /The maximum number of concurrent attempts must be at least one\./);
  assert.throws(() => c.setTolerableCheckpointFailureNumber(-1), /The tolerable failure checkpoint number must be non-negative\./);
  assert.throws(() => c.setExternalizedCheckpointCleanup('KEEP' as never), /Unknown externalized checkpoint cleanup "KEEP"/);
});

test('restart strategies build the JobGraph settings', () => {
  assert.deepEqual(RestartStrategies.noRestart(), { type: 'none' });
  assert.deepEqual(RestartStrategies.fixedDelayRestart(3, 1000), { type: 'fixed-delay', attempts: 3, delayMs: 1000 });
  assert.deepEqual(RestartStrategies.exponentialDelayRestart(100, 10_000, 2), {
    type: 'exponential-delay', initialDelayMs: 100, maxDelayMs: 10_000, multiplier: 2,
  });
  assert.throws(() => RestartStrategies.fixedDelayRestart(-1, 0), /restart attempts must be a non-negative integer/);
});
