import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfiguration } from '@tsflink/core';
import { createRestartStrategy } from './restart-strategy.js';

const config = (props: string[] = []) => loadConfiguration({ dynamicProperties: props }).config;

test('defaults: no restart without checkpointing, unbounded fixed delay with it', () => {
  assert.equal(createRestartStrategy(undefined, config(), false).onFailure(0), undefined);
  const s = createRestartStrategy(undefined, config(), true);
  for (let i = 0; i < 100; i++) assert.equal(s.onFailure(i), 1000);
});

test('the job\'s own strategy wins over the configuration', () => {
  const s = createRestartStrategy({ type: 'fixed-delay', attempts: 2, delay_ms: 10, max_delay_ms: 0, multiplier: 0 },
    config(['restart-strategy.type=none']), false);
  assert.equal(s.onFailure(0), 10);
  assert.equal(s.onFailure(0), 10);
  assert.equal(s.onFailure(0), undefined);
});

test('configured fixed-delay attempts and failure-rate', () => {
  const s = createRestartStrategy(undefined, config(['restart-strategy.type=fixed-delay', 'restart-strategy.fixed-delay.attempts=1', 'restart-strategy.fixed-delay.delay=5 ms']), false);
  assert.equal(s.onFailure(0), 5);
  assert.equal(s.onFailure(0), undefined);
  const r = createRestartStrategy(undefined, config(['restart-strategy.type=failure-rate', 'restart-strategy.failure-rate.max-failures-per-interval=2']), false);
  assert.equal(r.onFailure(0), 1000);
  assert.equal(r.onFailure(1), 1000);
  assert.equal(r.onFailure(2), undefined);
  assert.equal(createRestartStrategy(undefined, config(['restart-strategy.type=failure-rate', 'restart-strategy.failure-rate.max-failures-per-interval=1']), false).onFailure(70_000), 1000);
});
