import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueReader } from '../serialization/value-reader.js';
import { EncodedKeys } from './encoded-keys.js';
import type { StateMapKey } from './key-context.js';
import { keyToMapKey, mapKeyToKey } from './key-hash.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import { StateEntry } from './state-entry.js';

const UNBOUNDED = { maxBytes: Number.POSITIVE_INFINITY, smallEntryBytes: 0 };

/** A key group's entries holding `pairs`, in that order. */
function entriesOf(pairs: Array<[StateMapKey, unknown]>): StateEntry[] {
  return pairs.map(([key, value], slot) => new StateEntry(key, value, 0, slot));
}

describe('EncodedKeys', () => {
  it('holds a section\'s keys part (count, then every kind of key), which encodes the next section without reading a key', () => {
    const keys = ['plain', '', '\u0000starts with the mark', 'ünï😀', 42, -0, 1.5, true, ['tuple', 1, [false]], 'x'.repeat(300)];
    const group = entriesOf(keys.map((key, i) => [keyToMapKey(key), { i }]));
    const encoder = new KeyedStateSectionEncoder();
    const first = encoder.encode('value', group, UNBOUNDED)!;
    const reader = new ValueReader(first.keys);
    assert.equal(reader.readVarUint(), keys.length);
    assert.deepEqual(keys.map(() => reader.readValue()), group.map((e) => mapKeyToKey(e.key)), 'the user\'s keys (-0 as 0)');
    assert.equal(reader.remaining, 0);

    const encodedKeys = new EncodedKeys(group, first.keys);
    assert.ok(encodedKeys.fits(group));
    const again = encoder.encode('value', group, UNBOUNDED, encodedKeys)!;
    assert.equal(again.keys, first.keys, 'the same bytes, not a copy');
    assert.deepEqual(again.values, first.values);
    const inner = entriesOf([['a', new Map([[keyToMapKey('u'), 1]])], [7, new Map()]]);
    const innerSection = encoder.encode('map', inner, UNBOUNDED)!;
    assert.deepEqual(encoder.encode('map', inner, UNBOUNDED, new EncodedKeys(inner, innerSection.keys)), innerSection);
  });

  it('does not fit other entries, nor the same entries with another number of keys', () => {
    const group = entriesOf([['a', 1]]);
    const encoder = new KeyedStateSectionEncoder();
    const encodedKeys = new EncodedKeys(group, encoder.encode('value', group, UNBOUNDED)!.keys);
    assert.equal(encodedKeys.fits(entriesOf([['a', 1]])), false);
    group.push(new StateEntry('b', 2, 0, 1));
    assert.equal(encodedKeys.fits(group), false);
    const section = encoder.encode('value', group, UNBOUNDED, encodedKeys)!;
    assert.notEqual(section.keys, encodedKeys.bytes, 'ignored when it does not fit');
    assert.deepEqual(section, encoder.encode('value', group, UNBOUNDED));
  });
});
