import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MapStateDescriptor, type Key } from '@tsflink/api';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../state/key-group-assignment.js';
import { MemoryStateOutputStream } from '../state/memory-state-stream.js';
import { InternalTimerService, type InternalTimer } from './internal-timer-service.js';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import type { NamespaceCodec } from './namespace-codec.js';

const MAX_PARALLELISM = 128;
/** Namespaces are plain strings in these tests. */
const STRING_CODEC: NamespaceCodec<string> = { encode: (ns) => ns, decode: (key) => key };

interface Fired { domain: 'event' | 'processing'; key: Key; namespace: string; timestamp: number; currentKey: Key | undefined }

function setup(options: { range?: { start: number; end: number }; scheduler?: ManualProcessingTimeScheduler } = {}) {
  const backend = new HeapKeyedStateBackend({ keyGroupRange: options.range ?? { start: 0, end: MAX_PARALLELISM - 1 }, maxParallelism: MAX_PARALLELISM });
  const scheduler = options.scheduler ?? new ManualProcessingTimeScheduler(1000);
  const fired: Fired[] = [];
  let onFire: ((timer: InternalTimer<string>) => void) | undefined;
  const service: InternalTimerService<string> = new InternalTimerService<string>({
    name: 'svc',
    backend,
    namespaceCodec: STRING_CODEC,
    scheduler,
    triggerable: {
      onEventTime: (t) => { fired.push({ domain: 'event', key: t.key, namespace: t.namespace, timestamp: t.timestamp, currentKey: backend.getCurrentKey() }); onFire?.(t); },
      onProcessingTime: (t) => { fired.push({ domain: 'processing', key: t.key, namespace: t.namespace, timestamp: t.timestamp, currentKey: backend.getCurrentKey() }); onFire?.(t); },
    },
  });
  return { backend, scheduler, service, fired, setOnFire: (f: (timer: InternalTimer<string>) => void) => { onFire = f; } };
}

const brief = (fired: Fired[]) => fired.map((f) => `${f.domain}:${String(f.key)}/${f.namespace}@${f.timestamp}`);

describe('InternalTimerService', () => {
  it('fires event-time timers up to the watermark in time order, each with its key current, once per (key, namespace, time)', () => {
    const { backend, service, fired } = setup();
    backend.setCurrentKey('a');
    service.registerEventTimeTimer('w1', 30);
    service.registerEventTimeTimer('w1', 10);
    service.registerEventTimeTimer('w1', 10);
    service.registerEventTimeTimer('w2', 10);
    backend.setCurrentKey('b');
    service.registerEventTimeTimer('w1', 20);
    service.registerEventTimeTimer('w1', 10);
    service.registerEventTimeTimer('w1', 25);
    service.deleteEventTimeTimer('w1', 25);
    service.deleteEventTimeTimer('w1', 99);
    assert.equal(service.numEventTimeTimers(), 5);

    service.advanceWatermark(9);
    assert.equal(fired.length, 0);
    service.advanceWatermark(20);
    assert.deepEqual(brief(fired), ['event:a/w1@10', 'event:a/w2@10', 'event:b/w1@10', 'event:b/w1@20']);
    assert.ok(fired.every((f) => f.currentKey === f.key), 'the timer key is the current key in the callback');
    assert.equal(service.currentWatermark(), 20);
    assert.equal(service.numEventTimeTimers(), 1);
  });

  it('keeps timers in keyed map state: per key, namespace → sorted timestamps; fired timers leave it', () => {
    const { backend, service } = setup();
    backend.setCurrentKey('a');
    for (const t of [30, 10, 20, 10]) service.registerEventTimeTimer('w', t);
    service.registerProcessingTimeTimer('w', 5000);
    const eventTimers = backend.getMapState(new MapStateDescriptor<string, number[]>('_timer_state/event_svc'));
    assert.deepEqual([...eventTimers.entries()], [['w', [10, 20, 30]]]);
    assert.equal(backend.numKeys('_timer_state/processing_svc'), 1);
    service.advanceWatermark(25);
    backend.setCurrentKey('a');
    assert.deepEqual([...eventTimers.entries()], [['w', [30]]]);
    service.advanceWatermark(30);
    assert.equal(backend.numKeys('_timer_state/event_svc'), 0);
  });

  it('fires timers that callbacks register when they are already due, in the same advance', () => {
    const { backend, service, fired, setOnFire } = setup();
    backend.setCurrentKey('k');
    service.registerEventTimeTimer('n', 10);
    setOnFire((t) => { if (t.timestamp === 10) { service.registerEventTimeTimer('n', 12); service.registerEventTimeTimer('n', 50); } });
    service.advanceWatermark(15);
    assert.deepEqual(brief(fired), ['event:k/n@10', 'event:k/n@12']);
    assert.equal(service.numEventTimeTimers(), 1);
  });

  it('schedules one processing-time callback for the earliest timer and moves it when an earlier one comes', () => {
    const { backend, scheduler, service, fired } = setup();
    backend.setCurrentKey('x');
    service.registerProcessingTimeTimer('n', 1500);
    service.registerProcessingTimeTimer('n', 1800);
    assert.equal(scheduler.pendingCount, 1);
    assert.equal(scheduler.nextScheduledTime(), 1500);
    backend.setCurrentKey('y');
    service.registerProcessingTimeTimer('n', 1200);
    assert.equal(scheduler.pendingCount, 1, 'the later callback was cancelled');
    assert.equal(scheduler.nextScheduledTime(), 1200);

    scheduler.advanceTo(1499);
    assert.deepEqual(brief(fired), ['processing:y/n@1200']);
    assert.equal(fired[0]!.currentKey, 'y');
    assert.equal(scheduler.nextScheduledTime(), 1500);

    backend.setCurrentKey('x');
    service.deleteProcessingTimeTimer('n', 1500);
    scheduler.advanceTo(2000);
    assert.deepEqual(brief(fired), ['processing:y/n@1200', 'processing:x/n@1800']);
    assert.equal(service.numProcessingTimeTimers(), 0);
    assert.equal(scheduler.pendingCount, 0);
  });

  it('stops firing processing-time timers once closed', () => {
    const { backend, scheduler, service, fired } = setup();
    backend.setCurrentKey('x');
    service.registerProcessingTimeTimer('n', 1100);
    service.close();
    assert.equal(scheduler.pendingCount, 0);
    scheduler.advanceTo(5000);
    assert.equal(fired.length, 0);
  });

  it('refuses timestamps that are not finite numbers', () => {
    const { backend, service } = setup();
    backend.setCurrentKey('x');
    assert.throws(() => service.registerEventTimeTimer('n', Number.NaN), /finite timestamp/);
    assert.throws(() => service.registerProcessingTimeTimer('n', Number.POSITIVE_INFINITY), /finite timestamp/);
  });

  it('restores from a keyed snapshot at another parallelism: each subtask gets the timers of its key groups', async () => {
    const { backend, service } = setup();
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    for (const [i, key] of keys.entries()) {
      backend.setCurrentKey(key);
      service.registerEventTimeTimer('w', 100 + i);
      service.registerEventTimeTimer('v', 500);
      service.registerProcessingTimeTimer('w', 2000 + i);
    }
    const stream = new MemoryStateOutputStream();
    const written = await backend.snapshot(1).write(stream);
    const source = { bytes: stream.reader(), keyGroupRange: written.keyGroupRange, keyGroupOffsets: written.keyGroupOffsets, length: written.length };

    const scheduler = new ManualProcessingTimeScheduler(1000);
    const restored = await Promise.all([0, 1].map(async (subtask) => {
      const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 2, subtask);
      const s = setup({ range, scheduler });
      await s.backend.restoreKeyGroups([source]);
      s.service.restoreTimers();
      return { ...s, range };
    }));

    for (const { service: restoredService, fired, range } of restored) {
      const mine = keys.filter((k) => { const g = assignToKeyGroup(k, MAX_PARALLELISM); return g >= range.start && g <= range.end; });
      assert.ok(mine.length > 0 && mine.length < keys.length);
      assert.equal(restoredService.numEventTimeTimers(), mine.length * 2);
      assert.equal(restoredService.numProcessingTimeTimers(), mine.length);
      restoredService.advanceWatermark(499);
      assert.deepEqual(fired.map((f) => f.key).sort(), [...mine].sort());
      assert.ok(fired.every((f) => f.timestamp === 100 + keys.indexOf(f.key as string)));
    }
    assert.equal(scheduler.pendingCount, 2, 'each restored service scheduled its earliest processing-time timer');
    scheduler.advanceTo(2000 + keys.length);
    const processing = restored.flatMap((r) => r.fired.filter((f) => f.domain === 'processing'));
    assert.equal(processing.length, keys.length);
    assert.ok(processing.every((f) => f.timestamp === 2000 + keys.indexOf(f.key as string) && f.currentKey === f.key));
  });
});
