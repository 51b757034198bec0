import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResultSubpartition } from './result-subpartition.js';
import { PartitionRegistry, ResultPartition } from './result-partition.js';
import type { RecordBatch, StreamItem } from './stream-item.js';
import { END_OF_PARTITION } from './stream-item.js';

const batch = (...values: unknown[]): RecordBatch => ({ kind: 'records', values, timestamps: undefined });
const watermark = (timestamp: number): StreamItem => ({ kind: 'watermark', timestamp });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Resolves to true if `p` settled within a few event-loop turns, false otherwise. */
async function settlesSoon(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => { settled = true; }, () => { settled = true; });
  for (let i = 0; i < 3; i++) await nextTurn();
  return settled;
}

describe('ResultSubpartition', () => {
  it('hands items out in the order they were added, records and events interleaved', () => {
    const sp = new ResultSubpartition(0, 100);
    const items: StreamItem[] = [batch(1, 2), watermark(5), batch(3), { kind: 'barrier', checkpointId: 1, timestamp: 0, isSavepoint: false, stopSources: false, targetLocation: '' }, batch(4), END_OF_PARTITION];
    for (const i of items) sp.add(i);
    const out: StreamItem[] = [];
    for (let i = sp.poll(); i !== undefined; i = sp.poll()) out.push(i);
    assert.deepEqual(out, items);
    assert.equal(sp.isEmpty, true);
    assert.equal(sp.isFinished, true);
    assert.equal(sp.poll(), undefined);
  });

  it('keeps order across the internal compaction of a long queue', () => {
    const sp = new ResultSubpartition(0, Number.MAX_SAFE_INTEGER);
    let expected = 0;
    let next = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++) sp.add(batch(next++));
      for (let i = 0; i < 2500; i++) assert.deepEqual(sp.poll(), batch(expected++));
    }
    for (let i = sp.poll(); i !== undefined; i = sp.poll()) assert.deepEqual(i, batch(expected++));
    assert.equal(expected, next);
    assert.equal(sp.bufferedRecords, 0);
  });

  it('counts records (not events) against its capacity', () => {
    const sp = new ResultSubpartition(0, 4);
    assert.equal(sp.isWritable(), true);
    sp.add(batch(1, 2, 3));
    for (let i = 0; i < 10; i++) sp.add(watermark(i));
    assert.equal(sp.bufferedRecords, 3);
    assert.equal(sp.isWritable(), true);
    sp.add(batch(4));
    assert.equal(sp.bufferedRecords, 4);
    assert.equal(sp.isWritable(), false);
  });

  it('whenWritable waits while full and wakes every writer once drained below capacity', async () => {
    const sp = new ResultSubpartition(0, 4);
    sp.add(batch(1, 2));
    sp.add(batch(3, 4));
    sp.add(batch(5, 6));
    assert.equal(sp.isWritable(), false);
    const w1 = sp.whenWritable();
    const w2 = sp.whenWritable();
    assert.equal(await settlesSoon(w1), false, 'a full subpartition must hold its writer');
    sp.poll(); // 4 left: still full
    assert.equal(await settlesSoon(w1), false);
    sp.poll(); // 2 left: writable
    assert.equal(sp.isWritable(), true);
    assert.equal(await settlesSoon(w1), true);
    assert.equal(await settlesSoon(w2), true);
    // An immediately writable subpartition resolves at once.
    assert.equal(await settlesSoon(sp.whenWritable()), true);
  });

  it('release drops the data and wakes a waiting producer', async () => {
    const sp = new ResultSubpartition(0, 2);
    sp.add(batch(1, 2, 3));
    const waiting = sp.whenWritable();
    sp.release();
    assert.equal(await settlesSoon(waiting), true);
    assert.equal(sp.isWritable(), true);
    assert.equal(sp.poll(), undefined);
    sp.add(batch(4));
    assert.equal(sp.poll(), undefined, 'a released subpartition takes no more data');
  });

  it('notifies the availability listener on add, and at registration when data is already there', () => {
    const sp = new ResultSubpartition(0, 10);
    sp.add(batch(1));
    let calls = 0;
    sp.setAvailabilityListener(() => calls++);
    assert.equal(calls, 1);
    sp.add(watermark(1));
    assert.equal(calls, 2);
    sp.setAvailabilityListener(undefined);
    sp.add(batch(2));
    assert.equal(calls, 2);
  });

  it('calls onConsumed once the consumer took the end of partition', () => {
    const sp = new ResultSubpartition(0, 10);
    let consumed = 0;
    sp.onConsumed = () => consumed++;
    sp.add(batch(1));
    sp.add(END_OF_PARTITION);
    assert.equal(sp.isFinished, true);
    sp.poll();
    assert.equal(consumed, 0);
    assert.equal(sp.poll(), END_OF_PARTITION);
    assert.equal(consumed, 1);
  });
});

describe('ResultPartition', () => {
  it('a subpartition released by its consumer counts as done, once', () => {
    const p = new ResultPartition('a', 0, 2);
    let done = 0;
    p.onDone = () => done++;
    p.subpartitions[0]!.add(END_OF_PARTITION);
    p.subpartitions[0]!.poll();
    p.subpartitions[0]!.release(); // already consumed: no second count
    assert.equal(done, 0);
    p.subpartitions[1]!.add(batch(1));
    p.subpartitions[1]!.release(); // the consumer went away before the end
    assert.equal(done, 1);
    p.release();
    assert.equal(done, 1, 'onDone fires once');
  });

  it('is done when every subpartition was consumed, or when released', () => {
    const p = new ResultPartition('a', 0, 3, 16);
    let done = 0;
    p.onDone = () => done++;
    for (const sp of p.subpartitions) sp.add(END_OF_PARTITION);
    p.subpartitions[0]!.poll();
    p.subpartitions[2]!.poll();
    assert.equal(done, 0);
    p.subpartitions[1]!.poll();
    assert.equal(done, 1);
    assert.deepEqual(p.subpartitions.map((s) => [s.index, s.capacity]), [[0, 16], [1, 16], [2, 16]]);

    const q = new ResultPartition('b', 0, 2);
    let qDone = 0;
    q.onDone = () => qDone++;
    q.release();
    assert.equal(qDone, 1);
  });
});

describe('PartitionRegistry', () => {
  it('finds a registered partition at once', async () => {
    const r = new PartitionRegistry();
    const p = new ResultPartition('att-1', 2, 1);
    r.register(p);
    assert.equal(r.size, 1);
    assert.equal(await r.lookup('att-1', 2, 1000), p);
  });

  it('a lookup waits for a later register (several waiters, other keys untouched)', async () => {
    const r = new PartitionRegistry();
    const l1 = r.lookup('att-1', 0, 60_000);
    const l2 = r.lookup('att-1', 0, 60_000);
    const other = r.lookup('att-1', 1, 60_000);
    assert.equal(await settlesSoon(l1), false);
    const p = new ResultPartition('att-1', 0, 2);
    r.register(p);
    assert.equal(await l1, p);
    assert.equal(await l2, p);
    assert.equal(await settlesSoon(other), false);
    const p1 = new ResultPartition('att-1', 1, 2);
    r.register(p1);
    assert.equal(await other, p1);
  });

  it('a lookup fails with a clear error when nothing registers in time, and a later register still works', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const r = new PartitionRegistry();
    const lookup = r.lookup('att-9', 3, 500);
    const outcome = lookup.then(() => 'resolved', (e: Error) => e.message);
    t.mock.timers.tick(499);
    t.mock.timers.tick(1);
    assert.equal(await outcome, 'Result partition of producer att-9 (edge 3) was not found within 500 ms.');
    const p = new ResultPartition('att-9', 3, 1);
    r.register(p); // the timed-out waiter is gone: nothing to call
    assert.equal(await r.lookup('att-9', 3, 500), p);
  });

  it('unregisters a partition once fully consumed, or when released', () => {
    const r = new PartitionRegistry();
    const consumed = new ResultPartition('a', 0, 2);
    const released = new ResultPartition('b', 0, 2);
    r.register(consumed);
    r.register(released);
    assert.equal(r.size, 2);
    for (const sp of consumed.subpartitions) { sp.add(END_OF_PARTITION); sp.poll(); }
    assert.equal(r.size, 1);
    released.release();
    assert.equal(r.size, 0);
  });

  it('unregistering an old partition does not drop a newer one under the same key', () => {
    const r = new PartitionRegistry();
    const old = new ResultPartition('a', 0, 1);
    const newer = new ResultPartition('a', 0, 1);
    r.register(old);
    r.register(newer);
    old.release();
    assert.equal(r.size, 1);
  });
});
