import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputGate } from './input-gate.js';
import { LocalInputChannel, QueueInputChannel } from './input-channel.js';
import { ResultSubpartition } from './result-subpartition.js';
import type { RecordBatch, StreamItem } from './stream-item.js';
import { END_OF_PARTITION } from './stream-item.js';

const batch = (...values: unknown[]): RecordBatch => ({ kind: 'records', values, timestamps: undefined });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function settlesSoon(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => { settled = true; }, () => { settled = true; });
  for (let i = 0; i < 3; i++) await nextTurn();
  return settled;
}

function localGate(n: number, capacity = 1_000_000) {
  const sps = Array.from({ length: n }, (_, i) => new ResultSubpartition(i, capacity));
  const gate = new InputGate(sps.map((sp) => new LocalInputChannel(sp)));
  return { sps, gate };
}

/** Polls until nothing is ready; returns [channel, first value or event kind]. */
function pollAll(gate: InputGate): Array<[number, unknown]> {
  const out: Array<[number, unknown]> = [];
  for (let g = gate.poll(); g !== undefined; g = gate.poll()) {
    out.push([g.channel, g.item.kind === 'records' ? g.item.values[0] : g.item.kind]);
  }
  return out;
}

describe('InputGate', () => {
  it('polls every channel, keeping each channel\'s order', () => {
    const { sps, gate } = localGate(3);
    sps[0]!.add(batch('a1'));
    sps[0]!.add(batch('a2'));
    sps[2]!.add(batch('c1'));
    sps[1]!.add(batch('b1'));
    const got = pollAll(gate);
    assert.equal(got.length, 4);
    assert.deepEqual(got.filter(([c]) => c === 0).map(([, v]) => v), ['a1', 'a2']);
    assert.deepEqual(new Set(got.map(([, v]) => v)), new Set(['a1', 'a2', 'b1', 'c1']));
  });

  it('is fair: a channel that always has data does not starve the others', () => {
    const { sps, gate } = localGate(2);
    for (let i = 0; i < 10; i++) sps[1]!.add(batch(`b${i}`));
    const fromChannel = [0, 0];
    // Channel 0's producer refills it after every poll (a fast producer that is never empty).
    sps[0]!.add(batch('a'));
    for (let i = 0; i < 10; i++) {
      const g = gate.poll()!;
      fromChannel[g.channel]!++;
      if (g.channel === 0) sps[0]!.add(batch('a'));
    }
    assert.ok(fromChannel[1]! >= 4, `channel 1 got ${fromChannel[1]} of 10 polls while channel 0 always had data`);
  });

  it('a blocked channel keeps its items until unblocked', () => {
    const { sps, gate } = localGate(2);
    sps[0]!.add(batch('a1'));
    sps[1]!.add(batch('b1'));
    gate.block(0);
    assert.deepEqual(pollAll(gate), [[1, 'b1']]);
    sps[0]!.add(batch('a2'));
    assert.equal(gate.poll(), undefined);
    gate.unblockAll();
    assert.deepEqual(pollAll(gate), [[0, 'a1'], [0, 'a2']]);
  });

  it('whenAvailable resolves when data arrives, also on a channel unblocked later', async () => {
    const { sps, gate } = localGate(2);
    assert.equal(gate.poll(), undefined);
    const w = gate.whenAvailable();
    assert.equal(await settlesSoon(w), false);
    sps[1]!.add(batch('x'));
    assert.equal(await settlesSoon(w), true);
    assert.deepEqual(pollAll(gate), [[1, 'x']]);

    gate.block(0);
    sps[0]!.add(batch('y'));
    assert.equal(gate.poll(), undefined);
    gate.unblockAll();
    assert.equal(await settlesSoon(gate.whenAvailable()), true, 'unblocking makes the held data available');
    assert.deepEqual(pollAll(gate), [[0, 'y']]);
  });

  it('interrupt wakes a pending whenAvailable without data', async () => {
    const { gate } = localGate(1);
    assert.equal(gate.poll(), undefined);
    const w = gate.whenAvailable();
    assert.equal(await settlesSoon(w), false);
    gate.interrupt();
    assert.equal(await settlesSoon(w), true);
  });

  it('a channel that delivered end-of-partition is finished; the gate finishes with the last one', () => {
    const { sps, gate } = localGate(2);
    sps[0]!.add(batch('a'));
    sps[0]!.add(END_OF_PARTITION);
    sps[0]!.add(batch('after-end')); // never read
    sps[1]!.add(batch('b'));
    const got = pollAll(gate);
    assert.deepEqual(got.filter(([c]) => c === 0), [[0, 'a'], [0, 'end-of-partition']]);
    assert.equal(gate.isChannelFinished(0), true);
    assert.equal(gate.isChannelFinished(1), false);
    assert.equal(gate.isFinished, false);
    sps[1]!.add(END_OF_PARTITION);
    assert.deepEqual(pollAll(gate), [[1, 'end-of-partition']]);
    assert.equal(gate.isFinished, true);
    assert.equal(gate.poll(), undefined);
  });

  it('release lets go of local subpartitions: unread data is dropped and a waiting producer wakes', async () => {
    const { sps, gate } = localGate(2, 2);
    let consumed = 0;
    for (const sp of sps) sp.onConsumed = () => consumed++;
    sps[0]!.add(batch(1, 2, 3));
    const producerWaiting = sps[0]!.whenWritable();
    gate.release();
    assert.equal(await settlesSoon(producerWaiting), true);
    assert.equal(sps[0]!.bufferedRecords, 0);
    assert.equal(consumed, 2, 'both subpartitions are done, so their partition can be unregistered');
  });
});

describe('QueueInputChannel', () => {
  function channel(highWatermark: number) {
    const calls: string[] = [];
    const ch = new QueueInputChannel({ pause: () => calls.push('pause'), resume: () => calls.push('resume'), close: () => calls.push('close') }, highWatermark);
    return { ch, calls };
  }

  it('delivers pushed items in order and notifies its listener', () => {
    const { ch } = channel(100);
    let notified = 0;
    ch.setAvailabilityListener(() => notified++);
    const items: StreamItem[] = [batch(1), { kind: 'watermark', timestamp: 3 }, batch(2), END_OF_PARTITION];
    for (const i of items) ch.push(i);
    assert.equal(notified, 4);
    assert.deepEqual([ch.poll(), ch.poll(), ch.poll(), ch.poll(), ch.poll()], [...items, undefined]);
  });

  it('pauses the transport above its high watermark and resumes below half of it', () => {
    const { ch, calls } = channel(10);
    for (let i = 0; i < 5; i++) ch.push(batch(1, 2)); // 10 records: at the mark, not above
    assert.deepEqual(calls, []);
    ch.push(batch(3)); // 11
    assert.deepEqual(calls, ['pause']);
    ch.push(batch(4, 5)); // 13: already paused
    for (let i = 0; i < 10; i++) ch.push({ kind: 'watermark', timestamp: i });
    assert.deepEqual(calls, ['pause']);
    ch.poll(); // 11
    ch.poll(); // 9
    ch.poll(); // 7
    ch.poll(); // 5: not below 5
    assert.deepEqual(calls, ['pause']);
    ch.poll(); // 3
    assert.deepEqual(calls, ['pause', 'resume']);
    ch.poll(); // 2
    assert.deepEqual(calls, ['pause', 'resume']);
    for (let i = 0; i < 9; i++) ch.push(batch(i)); // 11 again
    assert.deepEqual(calls, ['pause', 'resume', 'pause']);
  });

  it('a transport failure is raised after the buffered items, and wakes the consumer', () => {
    const { ch } = channel(100);
    let notified = 0;
    ch.push(batch(1));
    ch.setAvailabilityListener(() => notified++);
    assert.equal(notified, 1);
    ch.fail(new Error('connection lost'));
    assert.equal(notified, 2);
    assert.deepEqual(ch.poll(), batch(1));
    assert.throws(() => ch.poll(), /connection lost/);
    assert.throws(() => ch.poll(), /connection lost/);
  });

  it('a failure of a remote channel fails the gate\'s poll', () => {
    const { ch } = channel(100);
    const sp = new ResultSubpartition(0, 100);
    const gate = new InputGate([new LocalInputChannel(sp), ch]);
    sp.add(batch('local'));
    ch.fail(new Error('producer gone'));
    assert.throws(() => { for (let i = 0; i < 3; i++) gate.poll(); }, /producer gone/);
  });

  it('release closes the transport', () => {
    const { ch, calls } = channel(100);
    ch.release();
    assert.deepEqual(calls, ['close']);
  });
});
