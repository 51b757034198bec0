import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BarrierHandler } from './barrier-handler.js';
import { InputGate } from '../network/input-gate.js';
import { LocalInputChannel } from '../network/input-channel.js';
import { ResultSubpartition } from '../network/result-subpartition.js';
import type { CheckpointBarrier, StreamItem } from '../network/stream-item.js';
import { END_OF_PARTITION } from '../network/stream-item.js';

const barrier = (checkpointId: number): CheckpointBarrier => ({
  kind: 'barrier', checkpointId, timestamp: checkpointId * 100, isSavepoint: false, stopSources: false, targetLocation: '',
});
const rec = (v: unknown): StreamItem => ({ kind: 'records', values: [v], timestamps: undefined });

/**
 * A gate over `n` local channels, a handler with a hand-driven clock, and a
 * `step()` that polls one item and feeds barriers/end-of-partition to the
 * handler as the task's loop does; it returns what it saw.
 */
function harness(n: number, exactlyOnce: boolean) {
  const sps = Array.from({ length: n }, (_, i) => new ResultSubpartition(i, 1_000_000));
  const gate = new InputGate(sps.map((sp) => new LocalInputChannel(sp)));
  let now = 1000;
  const handler = new BarrierHandler(gate, exactlyOnce, () => now);
  const triggered: Array<{ id: number; alignmentMs: number }> = [];
  const records: Array<[number, unknown]> = [];
  const step = (): boolean => {
    const g = gate.poll();
    if (!g) return false;
    if (g.item.kind === 'records') records.push([g.channel, g.item.values[0]]);
    else if (g.item.kind === 'barrier') {
      const r = handler.onBarrier(g.channel, g.item);
      if (r) triggered.push({ id: r.barrier.checkpointId, alignmentMs: r.alignmentMs });
    } else if (g.item.kind === 'end-of-partition') {
      const r = handler.onEndOfPartition();
      if (r) triggered.push({ id: r.barrier.checkpointId, alignmentMs: r.alignmentMs });
    }
    return true;
  };
  const run = () => { while (step()) { /* until nothing is ready */ } };
  return { sps, gate, handler, triggered, records, step, run, advance: (ms: number) => { now += ms; } };
}

describe('BarrierHandler (EXACTLY_ONCE)', () => {
  it('holds a channel that delivered barrier n until every channel did, then reports the alignment', () => {
    const h = harness(3, true);
    h.sps[0]!.add(rec('a1'));
    h.sps[0]!.add(barrier(1));
    h.sps[0]!.add(rec('a2-after'));
    h.sps[1]!.add(rec('b1'));
    h.run();
    assert.equal(h.triggered.length, 0);
    assert.ok(!h.records.some(([, v]) => v === 'a2-after'), 'records after the barrier stay held');
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a1', 'b1']);

    h.advance(25);
    h.sps[1]!.add(barrier(1));
    h.sps[1]!.add(rec('b2-after'));
    h.sps[2]!.add(rec('c1'));
    h.run();
    assert.equal(h.triggered.length, 0);
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a1', 'b1', 'c1']);

    h.advance(15);
    h.sps[2]!.add(barrier(1));
    h.sps[2]!.add(rec('c2-after'));
    // Poll until the barrier completes the alignment: nothing after any barrier was processed before.
    while (h.triggered.length === 0) assert.ok(h.step());
    assert.deepEqual(h.triggered, [{ id: 1, alignmentMs: 40 }]);
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a1', 'b1', 'c1']);
    h.run();
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a1', 'a2-after', 'b1', 'b2-after', 'c1', 'c2-after']);
  });

  it('a finished channel counts as aligned, whether it ended before or during the alignment', () => {
    const h = harness(3, true);
    h.sps[0]!.add(END_OF_PARTITION);
    h.sps[1]!.add(barrier(1));
    h.run();
    assert.equal(h.triggered.length, 0);
    h.sps[2]!.add(rec('c'));
    h.sps[2]!.add(END_OF_PARTITION);
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [1]);
    h.sps[1]!.add(rec('after'));
    h.run();
    assert.ok(h.records.some(([, v]) => v === 'after'), 'the held channel resumed');
  });

  it('a newer barrier supersedes an unfinished alignment: held channels resume and the new one aligns', () => {
    const h = harness(2, true);
    h.sps[0]!.add(barrier(1));
    h.sps[0]!.add(rec('a-after-1'));
    h.run();
    assert.equal(h.records.length, 0);
    // Channel 1 never delivered barrier 1 (say it was lost with an aborted checkpoint) and sends barrier 2.
    h.sps[1]!.add(barrier(2));
    h.sps[1]!.add(rec('b-after-2'));
    while (h.records.length === 0) assert.ok(h.step());
    assert.deepEqual(h.records, [[0, 'a-after-1']], 'channel 0 was released by the newer checkpoint, channel 1 is held for 2');
    h.sps[0]!.add(barrier(2));
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [2]);
    assert.ok(h.records.some(([, v]) => v === 'b-after-2'));
    // A late barrier 1 after 2 was triggered is ignored and blocks nothing.
    h.sps[1]!.add(barrier(1));
    h.sps[1]!.add(rec('b-late'));
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [2]);
    assert.ok(h.records.some(([, v]) => v === 'b-late'));
  });

  it('an older barrier arriving during a newer alignment is ignored', () => {
    const h = harness(2, true);
    h.sps[0]!.add(barrier(5));
    h.run();
    h.sps[1]!.add(barrier(4));
    h.sps[1]!.add(rec('b'));
    h.run();
    assert.equal(h.triggered.length, 0);
    assert.deepEqual(h.records, [[1, 'b']], 'the old barrier did not block channel 1');
    h.sps[1]!.add(barrier(5));
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [5]);
  });

  it('checkpoints follow each other: ids only increase', () => {
    const h = harness(2, true);
    for (const id of [1, 2, 3]) {
      h.sps[0]!.add(barrier(id));
      h.sps[1]!.add(barrier(id));
    }
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [1, 2, 3]);
    h.sps[0]!.add(barrier(3));
    h.sps[1]!.add(barrier(3));
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [1, 2, 3], 'a repeated barrier does not trigger again');
  });

  it('an aborted checkpoint releases its alignment at once; its late barriers block nothing', () => {
    const h = harness(2, true);
    h.sps[0]!.add(barrier(3));
    h.sps[0]!.add(rec('a-after-3'));
    h.run();
    assert.equal(h.records.length, 0, 'channel 0 is held for checkpoint 3');
    // The task upstream of channel 1 declined checkpoint 3: its barrier never comes; the JobManager aborts it.
    h.handler.abort(3);
    h.run();
    assert.deepEqual(h.records, [[0, 'a-after-3']]);
    h.sps[1]!.add(barrier(3));
    h.sps[1]!.add(rec('b-late'));
    h.sps[0]!.add(rec('a-more'));
    h.run();
    assert.equal(h.triggered.length, 0, 'checkpoint 3 is never taken');
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a-after-3', 'a-more', 'b-late']);
    h.handler.abort(2);
    h.sps[0]!.add(barrier(4));
    h.sps[1]!.add(barrier(4));
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [4], 'an abort of an older checkpoint does not disturb the next one');
  });

  it('with one channel the barrier triggers at once', () => {
    const h = harness(1, true);
    h.sps[0]!.add(barrier(1));
    h.sps[0]!.add(rec('x'));
    h.run();
    assert.deepEqual(h.triggered, [{ id: 1, alignmentMs: 0 }]);
    assert.deepEqual(h.records, [[0, 'x']]);
  });
});

describe('BarrierHandler (AT_LEAST_ONCE)', () => {
  it('never blocks a channel and triggers on the last barrier', () => {
    const h = harness(3, false);
    h.sps[0]!.add(barrier(1));
    h.sps[0]!.add(rec('a-after'));
    h.sps[1]!.add(barrier(1));
    h.sps[1]!.add(rec('b-after'));
    h.run();
    assert.equal(h.triggered.length, 0);
    assert.deepEqual(h.records.map(([, v]) => v).sort(), ['a-after', 'b-after']);
    h.advance(7);
    h.sps[2]!.add(barrier(1));
    h.run();
    assert.deepEqual(h.triggered, [{ id: 1, alignmentMs: 7 }]);
  });

  it('counts finished channels as having delivered the barrier', () => {
    const h = harness(2, false);
    h.sps[0]!.add(barrier(3));
    h.run();
    h.sps[1]!.add(END_OF_PARTITION);
    h.run();
    assert.deepEqual(h.triggered.map((t) => t.id), [3]);
  });
});
