import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodedKeys } from './encoded-keys.js';
import { keyToMapKey } from './key-hash.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import type { KeyGroupMap } from './keyed-state-section.js';

const UNBOUNDED = { maxBytes: Number.POSITIVE_INFINITY, smallEntryBytes: 0 };

describe('EncodedKeys', () => {
  it('encodes a section to the same bytes as reading the keys, for every kind of key', () => {
    const map: KeyGroupMap = new Map();
    const keys = ['plain', '', '\u0000starts with the mark', 'ünï😀', 42, -0, 1.5, true, ['tuple', 1, [false]], 'x'.repeat(300)];
    keys.forEach((key, i) => map.set(keyToMapKey(key), { i }));
    const encoder = new KeyedStateSectionEncoder();
    const plain = Buffer.from(encoder.encode('value', map, UNBOUNDED)!);
    const encodedKeys = EncodedKeys.of(map);
    assert.ok(encodedKeys.fits(map));
    assert.deepEqual(Buffer.from(encoder.encode('value', map, UNBOUNDED, encodedKeys)!), plain);
    const inner: KeyGroupMap = new Map<string | number, KeyGroupMap>([['a', new Map([[keyToMapKey('u'), 1]])], [7, new Map()]]);
    assert.deepEqual(encoder.encode('map', inner, UNBOUNDED, EncodedKeys.of(inner)), encoder.encode('map', inner, UNBOUNDED));
  });

  it('does not fit another map, nor the same map with another number of keys', () => {
    const map: KeyGroupMap = new Map([['a', 1]]);
    const encodedKeys = EncodedKeys.of(map);
    assert.equal(encodedKeys.fits(new Map([['a', 1]])), false);
    map.set('b', 2);
    assert.equal(encodedKeys.fits(map), false);
    const encoder = new KeyedStateSectionEncoder();
    assert.deepEqual(encoder.encode('value', map, UNBOUNDED, encodedKeys), encoder.encode('value', map, UNBOUNDED), 'ignored when it does not fit');
  });
});
