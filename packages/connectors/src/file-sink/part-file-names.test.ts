import { test } from 'node:test';
import assert from 'node:assert/strict';
import { committedPartFileName, inProgressPartFileName, parsePartFileName } from './part-file-names.js';

test('part file names round-trip and foreign names are not ours', () => {
  const uuid = '0b6f3c1e-57a4-4c43-9a0e-2f3d1c9b8a77';
  assert.equal(inProgressPartFileName('3f9a1c2e', 12, uuid), `.part-3f9a1c2e-12.inprogress.${uuid}`);
  assert.equal(committedPartFileName('3f9a1c2e', 12), 'part-3f9a1c2e-12');
  assert.deepEqual(parsePartFileName(`.part-3f9a1c2e-12.inprogress.${uuid}`), { writerId: '3f9a1c2e', partIndex: 12, inProgress: true });
  // Files written by format version 1: the writer is the subtask index.
  assert.deepEqual(parsePartFileName('part-0-7'), { writerId: '0', partIndex: 7, inProgress: false });
  for (const name of ['.part-0-1', 'part-0-1.inprogress.x', 'part-xyz-1', 'part-0-1.txt', 'data.csv', '_metadata']) {
    assert.equal(parsePartFileName(name), undefined, name);
  }
});
