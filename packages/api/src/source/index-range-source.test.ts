import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberSequenceSource } from './number-sequence-source.js';
import { FromElementsSource } from './from-elements-source.js';
import { IndexRangeReader } from './index-range-source.js';
import type { IndexRangeSplit } from './index-range-source.js';
import { Boundedness, InputStatus } from './source.js';
import type { SourceReader } from './source.js';

function drain<T>(reader: SourceReader<T, IndexRangeSplit>): T[] {
  const out: T[] = [];
  for (;;) {
    const status = reader.pollNext({ collect: (r) => out.push(r) });
    if (status === InputStatus.END_OF_INPUT) return out;
  }
}

const readerContext = { subtaskIndex: 0, parallelism: 1, attemptNumber: 0 };

test('a number sequence splits evenly and every number is read once', () => {
  const source = new NumberSequenceSource(1, 10);
  assert.equal(source.getBoundedness(), Boundedness.BOUNDED);
  const splits = source.createSplits(3);
  assert.deepEqual(splits, [
    { splitId: '0', nextIndex: 0, endIndex: 3 },
    { splitId: '1', nextIndex: 3, endIndex: 6 },
    { splitId: '2', nextIndex: 6, endIndex: 10 },
  ]);
  const all = splits.flatMap((s) => {
    const reader = source.createReader(readerContext);
    reader.addSplits([s]);
    return drain(reader);
  });
  assert.deepEqual(all, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.throws(() => new NumberSequenceSource(5, 1), /Start of sequence must not be greater than the end/);
});

test('a snapshot carries the position and a restored reader resumes after it', () => {
  const source = new FromElementsSource(['a', 'b', 'c', 'd', 'e']);
  const reader = new IndexRangeReader<string>((i) => ['a', 'b', 'c', 'd', 'e'][i]!, 2);
  reader.addSplits(source.createSplits(1));
  const first: string[] = [];
  assert.equal(reader.pollNext({ collect: (r) => first.push(r) }), InputStatus.MORE_AVAILABLE);
  assert.deepEqual(first, ['a', 'b']);
  const saved = JSON.parse(JSON.stringify(reader.snapshotState(1))) as IndexRangeSplit[];
  assert.deepEqual(saved, [{ splitId: '0', nextIndex: 2, endIndex: 5 }]);
  const restored = source.createReader(readerContext);
  restored.addSplits(saved);
  assert.deepEqual(drain(restored), ['c', 'd', 'e']);
  assert.deepEqual(restored.snapshotState(2), []);
});

test('more subtasks than elements leave some readers without splits, which end at once', () => {
  const source = new FromElementsSource([7]);
  assert.equal(source.createSplits(4).length, 1);
  const reader = source.createReader(readerContext);
  reader.addSplits([]);
  assert.equal(reader.pollNext({ collect: () => assert.fail('no record expected') }), InputStatus.END_OF_INPUT);
});
