import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyIndex } from './key-index.js';
import { StateEntry } from './state-entry.js';

const entry = (key: string | number): StateEntry => new StateEntry(key, `v${key}`, 0, 0);

describe('KeyIndex', () => {
  it('finds, replaces and deletes keys across segments', () => {
    const index = new KeyIndex(2);
    const entries = [1, 2, 3, 4, 5].map(entry);
    for (const e of entries) index.add(e.key, e);
    assert.equal(index.size, 5);
    for (const e of entries) assert.equal(index.get(e.key), e, `key ${String(e.key)}`);
    assert.equal(index.get(6), undefined);
    const replacement = entry(1);
    index.replace(1, replacement);
    assert.equal(index.get(1), replacement, 'replaced in the first segment');
    index.delete(3);
    index.delete(3);
    assert.equal(index.get(3), undefined);
    assert.equal(index.size, 4);
    index.add(3, entries[2]!);
    assert.equal(index.get(3), entries[2], 'a key added again is found again');
  });

  it('tells equal strings apart from numbers and finds NaN (SameValueZero)', () => {
    const index = new KeyIndex();
    const text = entry('1');
    const number = entry(1);
    const nan = entry(Number.NaN);
    index.add('1', text);
    index.add(1, number);
    index.add(Number.NaN, nan);
    assert.equal(index.get(['1'].join('')), text);
    assert.equal(index.get(1), number);
    assert.equal(index.get(Number.NaN), nan);
  });
});
