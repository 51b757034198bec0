import { ValueWriter } from '../serialization/value-writer.js';
import type { StateMapKey } from './key-context.js';
import { MAP_KEY_MARK_CODE, mapKeyToKey } from './key-hash.js';
import type { KeyGroupMap } from './keyed-state-section.js';

/** Writes a map key as the user's key, the way every section stores keys (a fast path for plain strings). */
export function writeMapKey(w: ValueWriter, key: StateMapKey): void {
  if (typeof key === 'string' && key.charCodeAt(0) !== MAP_KEY_MARK_CODE) w.writeString(key);
  else w.writeValue(mapKeyToKey(key));
}

/**
 * The encoded keys of one key group's map, in the map's iteration order, in one
 * contiguous buffer. Encoding a section with them copies each key's few bytes
 * from here instead of reading the key string, which lies somewhere on the heap:
 * with the state out of the CPU caches (records ran since the last snapshot) that
 * read is a cache miss per entry, measured to be most of an entry's encoding cost.
 *
 * Valid only for {@link map} and only while its key set and order are unchanged
 * (values may change): `KeyedStateTable` drops it on every insertion or deletion.
 * Keys hold no objects, so their bytes do not depend on a shape scope.
 */
export class EncodedKeys {
  /**
   * @param map the map whose keys these are
   * @param bytes the encoded keys, one after the other
   * @param ends entry i's key is `bytes[ends[i - 1] ?? 0 .. ends[i])`
   */
  constructor(readonly map: KeyGroupMap, readonly bytes: Buffer, readonly ends: Uint32Array) {}

  /** Encodes the keys of `map` as they stand. */
  static of(map: KeyGroupMap): EncodedKeys {
    const w = new ValueWriter(Math.max(64, map.size * 12));
    const ends = new Uint32Array(map.size);
    let i = 0;
    for (const key of map.keys()) {
      writeMapKey(w, key);
      ends[i++] = w.length;
    }
    return new EncodedKeys(map, w.copyBytes(), ends);
  }

  /** True when these keys can stand for `map`'s keys (same map, same number of keys). */
  fits(map: KeyGroupMap): boolean {
    return this.map === map && this.ends.length === map.size;
  }
}
