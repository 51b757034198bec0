import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RecordWriter } from './record-writer.js';
import { ResultSubpartition } from './result-subpartition.js';
import { createChannelSelector, type ChannelSelector } from './partitioner.js';
import { assignToKeyGroup } from '../state/key-group-assignment.js';
import type { StreamItem } from './stream-item.js';
import { END_OF_PARTITION, NO_TIMESTAMP } from './stream-item.js';

function drain(sp: ResultSubpartition): StreamItem[] {
  const out: StreamItem[] = [];
  for (let i = sp.poll(); i !== undefined; i = sp.poll()) out.push(i);
  return out;
}

/** Routes a record to the channel it names: `{ c: channel }`. */
const byField: ChannelSelector = { isBroadcast: false, routesByKeyGroup: false, keyGroup: -1, select: (v) => (v as { c: number }).c };

function setup(channels: number, batchSize: number, selector: ChannelSelector = byField, capacity = 1_000_000) {
  const sps = Array.from({ length: channels }, (_, i) => new ResultSubpartition(i, capacity));
  return { sps, writer: new RecordWriter(sps, selector, batchSize) };
}

describe('RecordWriter', () => {
  it('batches per channel and hands a batch over when it reaches the batch size', () => {
    const { sps, writer } = setup(2, 3);
    const r = (c: number, n: number) => ({ c, n });
    writer.emit(r(0, 1), NO_TIMESTAMP);
    writer.emit(r(1, 1), NO_TIMESTAMP);
    writer.emit(r(0, 2), NO_TIMESTAMP);
    assert.equal(sps[0]!.isEmpty, true, 'a partial batch is held back');
    writer.emit(r(0, 3), NO_TIMESTAMP);
    assert.deepEqual(drain(sps[0]!), [{ kind: 'records', values: [r(0, 1), r(0, 2), r(0, 3)], timestamps: undefined }]);
    assert.equal(sps[1]!.isEmpty, true);
    writer.emit(r(0, 4), NO_TIMESTAMP);
    writer.flush();
    assert.deepEqual(drain(sps[0]!), [{ kind: 'records', values: [r(0, 4)], timestamps: undefined }]);
    assert.deepEqual(drain(sps[1]!), [{ kind: 'records', values: [r(1, 1)], timestamps: undefined }]);
    writer.flush();
    assert.equal(sps[0]!.isEmpty && sps[1]!.isEmpty, true, 'flush of nothing sends nothing');
  });

  it('batches hold every record exactly once, in emit order per channel', () => {
    const { sps, writer } = setup(3, 7);
    const sent: number[][] = [[], [], []];
    for (let n = 0; n < 1000; n++) {
      const c = (n * 31) % 3;
      sent[c]!.push(n);
      writer.emit({ c, n }, NO_TIMESTAMP);
    }
    writer.flush();
    for (let c = 0; c < 3; c++) {
      const items = drain(sps[c]!);
      for (const i of items) {
        assert.equal(i.kind, 'records');
        if (i.kind === 'records') assert.ok(i.values.length <= 7 && i.values.length > 0);
      }
      const got = items.flatMap((i) => (i.kind === 'records' ? i.values.map((v) => (v as { n: number }).n) : []));
      assert.deepEqual(got, sent[c]);
    }
  });

  it('adds a timestamps array only when some record of the batch has a timestamp, filling NO_TIMESTAMP', () => {
    const { sps, writer } = setup(1, 100);
    writer.emit({ c: 0, n: 1 }, NO_TIMESTAMP);
    writer.emit({ c: 0, n: 2 }, NO_TIMESTAMP);
    writer.flush();
    writer.emit({ c: 0, n: 3 }, NO_TIMESTAMP);
    writer.emit({ c: 0, n: 4 }, 40);
    writer.emit({ c: 0, n: 5 }, NO_TIMESTAMP);
    writer.emit({ c: 0, n: 6 }, 0);
    writer.flush();
    writer.emit({ c: 0, n: 7 }, NO_TIMESTAMP);
    writer.flush();
    const [a, b, c] = drain(sps[0]!);
    assert.deepEqual(a, { kind: 'records', values: [{ c: 0, n: 1 }, { c: 0, n: 2 }], timestamps: undefined });
    assert.deepEqual(b, { kind: 'records', values: [{ c: 0, n: 3 }, { c: 0, n: 4 }, { c: 0, n: 5 }, { c: 0, n: 6 }], timestamps: [NO_TIMESTAMP, 40, NO_TIMESTAMP, 0] });
    assert.deepEqual(c, { kind: 'records', values: [{ c: 0, n: 7 }], timestamps: undefined }, 'a new batch starts without timestamps');
  });

  it('timestamps stay aligned with values when a full batch is handed over mid-way', () => {
    const { sps, writer } = setup(1, 2);
    writer.emit({ c: 0 }, NO_TIMESTAMP);
    writer.emit({ c: 0 }, 5);
    writer.emit({ c: 0 }, 6);
    writer.emit({ c: 0 }, NO_TIMESTAMP);
    writer.emit({ c: 0 }, NO_TIMESTAMP);
    writer.flush();
    assert.deepEqual(drain(sps[0]!).map((i) => (i.kind === 'records' ? [i.values.length, i.timestamps] : i.kind)), [
      [2, [NO_TIMESTAMP, 5]],
      [2, [6, NO_TIMESTAMP]],
      [1, undefined],
    ]);
  });

  it('an event flushes pending records first and then goes to every channel, in order', () => {
    const { sps, writer } = setup(3, 100);
    writer.emit({ c: 0, n: 1 }, NO_TIMESTAMP);
    writer.emit({ c: 2, n: 2 }, NO_TIMESTAMP);
    writer.broadcastEvent({ kind: 'watermark', timestamp: 10 });
    writer.emit({ c: 2, n: 3 }, NO_TIMESTAMP);
    const barrier = { kind: 'barrier', checkpointId: 4, timestamp: 9, isSavepoint: false, stopSources: false, targetLocation: '' } as const;
    writer.broadcastEvent(barrier);
    writer.broadcastEvent(END_OF_PARTITION);
    const wm = { kind: 'watermark', timestamp: 10 };
    assert.deepEqual(drain(sps[0]!), [{ kind: 'records', values: [{ c: 0, n: 1 }], timestamps: undefined }, wm, barrier, END_OF_PARTITION]);
    assert.deepEqual(drain(sps[1]!), [wm, barrier, END_OF_PARTITION]);
    assert.deepEqual(drain(sps[2]!), [
      { kind: 'records', values: [{ c: 2, n: 2 }], timestamps: undefined }, wm,
      { kind: 'records', values: [{ c: 2, n: 3 }], timestamps: undefined }, barrier, END_OF_PARTITION,
    ]);
  });

  it('a keyBy edge sends each record\'s key group along with it, aligned across full batches', () => {
    const selector = createChannelSelector({ kind: 'hash', numberOfChannels: 2, producerIndex: 0, producerParallelism: 1, keySelector: (v) => v, consumerMaxParallelism: 128 });
    const { sps, writer } = setup(2, 4, selector);
    const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
    for (const w of words) writer.emit(w, NO_TIMESTAMP);
    writer.flush();
    let seen = 0;
    for (const sp of sps) {
      for (const item of drain(sp)) {
        assert.ok(item.kind === 'records' && item.keyGroups !== undefined);
        assert.equal(item.keyGroups.length, item.values.length);
        item.values.forEach((w, i) => assert.equal(item.keyGroups![i], assignToKeyGroup(w, 128), String(w)));
        seen += item.values.length;
      }
    }
    assert.equal(seen, words.length);
  });

  it('broadcast copies every record to all channels', () => {
    const sel = createChannelSelector({ kind: 'broadcast', numberOfChannels: 3, producerIndex: 0, producerParallelism: 1, consumerMaxParallelism: 128 });
    const { sps, writer } = setup(3, 2, sel);
    writer.emit('a', 1);
    writer.emit('b', NO_TIMESTAMP);
    writer.emit('c', 3);
    writer.flush();
    for (const sp of sps) {
      assert.deepEqual(drain(sp), [
        { kind: 'records', values: ['a', 'b'], timestamps: [1, NO_TIMESTAMP] },
        { kind: 'records', values: ['c'], timestamps: [3] },
      ]);
    }
  });

  it('is writable only while every subpartition is, and whenWritable waits for all of them', async () => {
    const { sps, writer } = setup(2, 1, byField, 2);
    writer.emit({ c: 0 }, NO_TIMESTAMP);
    writer.emit({ c: 0 }, NO_TIMESTAMP);
    writer.emit({ c: 1 }, NO_TIMESTAMP);
    writer.emit({ c: 1 }, NO_TIMESTAMP);
    assert.equal(writer.isWritable(), false);
    let writable = false;
    const waiting = writer.whenWritable().then(() => { writable = true; });
    sps[0]!.poll();
    await new Promise((r) => setImmediate(r));
    assert.equal(writable, false, 'channel 1 is still full');
    sps[1]!.poll();
    await waiting;
    assert.equal(writer.isWritable(), true);
  });
});
