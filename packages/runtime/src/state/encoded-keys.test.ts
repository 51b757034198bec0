import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodedKeys } from './encoded-keys.js';
import type { StateMapKey } from './key-context.js';
import { keyToMapKey } from './key-hash.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import { StateEntry } from './state-entry.js';

const UNBOUNDED = { maxBytes: Number.POSITIVE_INFINITY, smallEntryBytes: 0 };

/** A key group's entries holding `pairs`, in that order. */
function entriesOf(pairs: Array<[StateMapKey, unknown]>): StateEntry[] {
  return pairs.map(([key, value], slot) => new StateEntry(key, value, 0, slot));
}

describe('EncodedKeys', () => {
  it('encodes a section to the same bytes as reading the keys, for every kind of key', () => {
    const keys = ['plain', '', '\u0000starts with the mark', 'ünï😀', 42, -0, 1.5, true, ['tuple', 1, [false]], 'x'.repeat(300)];
    const group = entriesOf(keys.map((key, i) => [keyToMapKey(key), { i }]));
    const encoder = new KeyedStateSectionEncoder();
    const plain = Buffer.from(encoder.encode('value', group, UNBOUNDED)!);
    const encodedKeys = EncodedKeys.of(group);
    assert.ok(encodedKeys.fits(group));
    assert.deepEqual(Buffer.from(encoder.encode('value', group, UNBOUNDED, encodedKeys)!), plain);
    const inner = entriesOf([['a', new Map([[keyToMapKey('u'), 1]])], [7, new Map()]]);
    assert.deepEqual(encoder.encode('map', inner, UNBOUNDED, EncodedKeys.of(inner)), encoder.encode('map', inner, UNBOUNDED));
  });

  it('does not fit other entries, nor the same entries with another number of keys', () => {
    const group = entriesOf([['a', 1]]);
    const encodedKeys = EncodedKeys.of(group);
    assert.equal(encodedKeys.fits(entriesOf([['a', 1]])), false);
    group.push(new StateEntry('b', 2, 0, 1));
    assert.equal(encodedKeys.fits(group), false);
    const encoder = new KeyedStateSectionEncoder();
    assert.deepEqual(encoder.encode('value', group, UNBOUNDED, encodedKeys), encoder.encode('value', group, UNBOUNDED), 'ignored when it does not fit');
  });
});
