import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Boundedness, InputStatus } from '@tsflink/api';
import type { IndexRangeSplit, SourceReader } from '@tsflink/api';
import { ManualTimerService } from '@tsflink/core';
import { DataGeneratorSource } from './data-generator-source.js';
import { DataGeneratorReader } from './data-generator-reader.js';
import { NoOpRateLimiter } from './no-op-rate-limiter.js';
import { RateLimiterStrategy } from './rate-limiter-strategy.js';

function context(subtaskIndex: number, parallelism: number) {
  return { subtaskIndex, parallelism, attemptNumber: 0 };
}

function drain<T>(reader: SourceReader<T, IndexRangeSplit>, out: T[]): void {
  for (let guard = 0; guard < 100_000; guard++) {
    if (reader.pollNext({ collect: (r) => out.push(r) }) === InputStatus.END_OF_INPUT) return;
  }
  assert.fail('the reader did not end');
}

/** Splits dealt round-robin to `parallelism` readers, as the runtime does on a fresh start and on rescale. */
function deal<S>(splits: S[], parallelism: number): S[][] {
  const shares: S[][] = Array.from({ length: parallelism }, () => []);
  splits.forEach((s, i) => shares[i % parallelism]!.push(s));
  return shares;
}

test('the generator emits every index exactly once, deterministically, at any parallelism', () => {
  const source = new DataGeneratorSource((i) => `r${i}`, 101);
  assert.equal(source.getBoundedness(), Boundedness.BOUNDED);
  for (let p = 1; p <= 7; p++) {
    const splits = source.createSplits(p);
    assert.deepEqual(source.createSplits(p), splits, 'createSplits is deterministic');
    const out: string[] = [];
    deal(splits, p).forEach((share, i) => {
      const reader = source.createReader(context(i, p));
      reader.addSplits(share);
      drain(reader, out);
    });
    assert.deepEqual(out.sort(), Array.from({ length: 101 }, (_, i) => `r${i}`).sort());
  }
  assert.deepEqual(source.createSplits(3).map((s) => [s.nextIndex, s.endIndex]), [[0, 34], [34, 68], [68, 101]]);
  assert.deepEqual(new DataGeneratorSource((i) => i, 2).createSplits(4).map((s) => s.splitId), ['0', '1']);
});

test('a snapshot at any point, restored at fewer or more readers, resumes at exactly the next index', () => {
  const count = 47;
  const generator = (i: number) => i * 10;
  const source = new DataGeneratorSource(generator, count);
  for (const before of [1, 2, 3]) {
    for (const after of [1, 2, 3, 5]) {
      for (let polls = 0; polls <= 10; polls++) {
        const emitted: number[] = [];
        const readers = deal(source.createSplits(before), before).map((share) => {
          const r = new DataGeneratorReader(generator, new NoOpRateLimiter(), 4);
          r.addSplits(share);
          return r;
        });
        for (let k = 0; k < polls; k++) for (const r of readers) r.pollNext({ collect: (v) => emitted.push(v) });
        const saved = JSON.parse(JSON.stringify(readers.flatMap((r) => r.snapshotState(1)))) as IndexRangeSplit[];
        deal(saved, after).forEach((share, i) => {
          const restored = source.createReader(context(i, after));
          restored.addSplits(share);
          drain(restored, emitted);
        });
        assert.deepEqual(emitted.sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i * 10),
          `before=${before} after=${after} polls=${polls}`);
      }
    }
  }
});

test('a poll emits a bounded batch and a reader serves its splits in turn', () => {
  const reader = new DataGeneratorReader((i) => i, new NoOpRateLimiter());
  reader.addSplits([{ splitId: '0', nextIndex: 0, endIndex: 5000 }, { splitId: '1', nextIndex: 10_000, endIndex: 10_002 }]);
  const first: number[] = [];
  assert.equal(reader.pollNext({ collect: (v) => first.push(v) }), InputStatus.MORE_AVAILABLE);
  assert.equal(first.length, 1000);
  const second: number[] = [];
  assert.equal(reader.pollNext({ collect: (v) => second.push(v) }), InputStatus.MORE_AVAILABLE);
  assert.deepEqual(second, [10_000, 10_001]);
  assert.deepEqual(reader.snapshotState(7), [{ splitId: '0', nextIndex: 1000, endIndex: 5000 }]);
});

test('count = Number.MAX_SAFE_INTEGER makes an unbounded source whose splits cover every index', () => {
  const source = new DataGeneratorSource((i) => i, Number.MAX_SAFE_INTEGER);
  assert.equal(source.getBoundedness(), Boundedness.CONTINUOUS_UNBOUNDED);
  const splits = source.createSplits(3);
  assert.equal(splits[0]!.nextIndex, 0);
  assert.equal(splits[2]!.endIndex, Number.MAX_SAFE_INTEGER);
  for (let i = 1; i < splits.length; i++) assert.equal(splits[i]!.nextIndex, splits[i - 1]!.endIndex);
  for (const s of splits) assert.ok(Number.isSafeInteger(s.endIndex));

  // After a scale-down one reader holds two endless splits and advances both.
  const reader = source.createReader(context(0, 1));
  reader.addSplits([splits[0]!, splits[1]!]);
  const out: number[] = [];
  for (let k = 0; k < 4; k++) assert.equal(reader.pollNext({ collect: (v) => out.push(v) }), InputStatus.MORE_AVAILABLE);
  assert.equal(out.filter((v) => v < splits[1]!.nextIndex).length, 2000);
  assert.equal(out.filter((v) => v >= splits[1]!.nextIndex).length, 2000);
});

test('bad arguments are refused clearly', () => {
  assert.throws(() => new DataGeneratorSource((i) => i, -1), /non-negative safe integer/);
  assert.throws(() => new DataGeneratorSource((i) => i, 1.5), /non-negative safe integer/);
  assert.throws(() => new DataGeneratorSource(42 as unknown as (i: number) => number, 1), /generator function/);
  assert.throws(() => RateLimiterStrategy.perSecond(0), /positive finite rate/);
  assert.throws(() => new DataGeneratorSource((i) => i, 10).createSplits(0), /positive integer/);
});

async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
}

test('perSecond splits the rate over the readers and waits on timers, not in a loop', async () => {
  const timers = new ManualTimerService();
  const source = new DataGeneratorSource((i) => i, 1_000_000, RateLimiterStrategy.perSecond(100, { clock: timers.clock, timers }));
  const reader = source.createReader(context(0, 2)); // 50 records/s for this reader
  reader.addSplits(source.createSplits(2).slice(0, 1));
  const out: number[] = [];
  const output = { collect: (v: number) => out.push(v) };

  assert.equal(reader.pollNext(output), InputStatus.NOTHING_AVAILABLE);
  assert.deepEqual(out, [0]);
  assert.equal(reader.pollNext(output), InputStatus.NOTHING_AVAILABLE);
  assert.equal(out.length, 1, 'no budget left, nothing emitted');

  const available = reader.isAvailable();
  assert.equal(reader.isAvailable(), available, 'one shared wait');
  assert.equal(timers.pendingCount, 1);
  timers.advance(19);
  assert.equal(await settled(available), false);
  timers.advance(1);
  assert.equal(await settled(available), true);
  reader.pollNext(output);
  assert.deepEqual(out, [0, 1]);

  // A pause of 10 s accrues at most one second of budget (50 records).
  timers.advance(10_000);
  reader.pollNext(output);
  assert.equal(out.length, 52);

  // Driven like the runtime for 20 simulated seconds: 50 records per second.
  const startCount = out.length;
  const start = timers.clock.now();
  while (timers.clock.now() - start < 20_000) {
    const status = reader.pollNext(output);
    if (status === InputStatus.NOTHING_AVAILABLE) {
      const wait = reader.isAvailable();
      if (!(await settled(wait))) timers.advance(timers.nextDueTime()! - timers.clock.now());
      await wait;
    }
  }
  const rate = (out.length - startCount) / 20;
  assert.ok(Math.abs(rate - 50) <= 0.1, `rate ${rate}`);
  assert.deepEqual(out, Array.from({ length: out.length }, (_, i) => i), 'in index order, none skipped');

  const pending = reader.isAvailable();
  reader.close!();
  assert.equal(await settled(pending), true, 'close releases a waiting reader');
  assert.equal(timers.pendingCount, 0);
});

test('noOp never limits and a fractional per-reader rate still keeps the total', async () => {
  const unlimited = new DataGeneratorSource((i) => i, 5000, RateLimiterStrategy.noOp()).createReader(context(0, 1));
  unlimited.addSplits([{ splitId: '0', nextIndex: 0, endIndex: 5000 }]);
  const out: number[] = [];
  drain(unlimited, out);
  assert.equal(out.length, 5000);
  assert.equal(await settled(unlimited.isAvailable()), true);

  const timers = new ManualTimerService();
  const strategy = RateLimiterStrategy.perSecond(10, { clock: timers.clock, timers });
  const readers = [0, 1, 2].map((i) => {
    const r = new DataGeneratorReader((n) => n, strategy.createRateLimiter(3));
    r.addSplits([{ splitId: String(i), nextIndex: i * 1000, endIndex: i * 1000 + 1000 }]);
    return r;
  });
  let total = 0;
  for (let ms = 0; ms <= 30_000; ms += 7) {
    for (const r of readers) r.pollNext({ collect: () => { total++; } });
    timers.advance(7);
  }
  assert.ok(Math.abs(total - 300) <= 3, `total ${total} in 30 s at 10/s`);
});
