import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatermarkStrategy } from './watermark-strategy.js';
import { MIN_WATERMARK } from './watermark.js';
import type { WatermarkOutput } from './watermark.js';

function recorder(): WatermarkOutput & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    emitWatermark: (w) => events.push(`wm:${w}`),
    markIdle: () => events.push('idle'),
    markActive: () => events.push('active'),
  };
}

test('bounded out-of-orderness trails the highest timestamp', () => {
  const gen = WatermarkStrategy.forBoundedOutOfOrderness<number>(100).createWatermarkGenerator();
  const out = recorder();
  gen.onPeriodicEmit(out);
  gen.onEvent(1, 1000, out);
  gen.onEvent(2, 900, out);
  gen.onPeriodicEmit(out);
  assert.deepEqual(out.events, [`wm:${MIN_WATERMARK}`, 'wm:899']);
});

test('monotonous timestamps emit max - 1; noWatermarks emits nothing', () => {
  const out = recorder();
  const mono = WatermarkStrategy.forMonotonousTimestamps<number>().createWatermarkGenerator();
  mono.onEvent(0, 50, out);
  mono.onPeriodicEmit(out);
  const none = WatermarkStrategy.noWatermarks<number>().createWatermarkGenerator();
  none.onEvent(0, 50, out);
  none.onPeriodicEmit(out);
  assert.deepEqual(out.events, ['wm:49']);
});

test('withTimestampAssigner and withIdleness return configured copies', () => {
  const base = WatermarkStrategy.forBoundedOutOfOrderness<{ t: number }>(5);
  const s = base.withTimestampAssigner((e) => e.t).withIdleness(1000);
  assert.equal(base.timestampAssigner, undefined);
  assert.equal(base.idlenessMs, undefined);
  assert.equal(s.createTimestampAssigner().extractTimestamp({ t: 42 }, 0), 42);
  assert.equal(base.createTimestampAssigner().extractTimestamp({ t: 42 }, 7), 7);
  assert.equal(s.toString(), 'BoundedOutOfOrderness(5 ms), idleness 1000 ms');

  let now = 0;
  const gen = s.createWatermarkGenerator(() => now);
  const out = recorder();
  gen.onEvent({ t: 100 }, 100, out);
  now = 500;
  gen.onPeriodicEmit(out);
  now = 1600;
  gen.onPeriodicEmit(out);
  gen.onPeriodicEmit(out);
  gen.onEvent({ t: 200 }, 200, out);
  assert.deepEqual(out.events, ['wm:94', 'idle', 'active']);
  assert.throws(() => base.withIdleness(0), /The idle timeout must be a positive number/);
});
