import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PendingBatch } from './pending-batch.js';
import { NO_TIMESTAMP } from './stream-item.js';

describe('PendingBatch', () => {
  it('reports full at the batch size, and batches after a full one (presized arrays) hold exactly their records', () => {
    const batch = new PendingBatch(3, false);
    assert.equal(batch.add('a', NO_TIMESTAMP, -1), false);
    assert.equal(batch.add('b', NO_TIMESTAMP, -1), false);
    assert.equal(batch.add('c', NO_TIMESTAMP, -1), true);
    assert.deepEqual(batch.take(), { kind: 'records', values: ['a', 'b', 'c'], timestamps: undefined });
    assert.equal(batch.count, 0);
    batch.add('d', NO_TIMESTAMP, -1);
    const partial = batch.take();
    assert.deepEqual(partial, { kind: 'records', values: ['d'], timestamps: undefined });
    assert.equal(partial.values.length, 1, 'a presized batch taken early is cut to its records');
    batch.add('e', 5, -1);
    assert.deepEqual(batch.take(), { kind: 'records', values: ['e'], timestamps: [5] });
  });

  it('backfills NO_TIMESTAMP for the records before the first timestamp, in presized batches too', () => {
    for (const fillFirst of [false, true]) {
      const batch = new PendingBatch(4, false);
      if (fillFirst) {
        for (let i = 0; i < 4; i++) batch.add(i, NO_TIMESTAMP, -1);
        batch.take();
      }
      batch.add('a', NO_TIMESTAMP, -1);
      batch.add('b', NO_TIMESTAMP, -1);
      batch.add('c', 30, -1);
      assert.deepEqual(batch.take(), { kind: 'records', values: ['a', 'b', 'c'], timestamps: [NO_TIMESTAMP, NO_TIMESTAMP, 30] });
    }
  });

  it('carries key groups on keyBy edges', () => {
    const batch = new PendingBatch(2, true);
    batch.add('a', NO_TIMESTAMP, 7);
    batch.add('b', NO_TIMESTAMP, 9);
    assert.deepEqual(batch.take(), { kind: 'records', values: ['a', 'b'], timestamps: undefined, keyGroups: [7, 9] });
    batch.add('c', NO_TIMESTAMP, 1);
    assert.deepEqual(batch.take(), { kind: 'records', values: ['c'], timestamps: undefined, keyGroups: [1] });
  });
});
