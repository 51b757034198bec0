import { ValueWriter } from '../serialization/value-writer.js';
import type { StateMapKey } from './key-context.js';
import { MAP_KEY_MARK_CODE, mapKeyToKey } from './key-hash.js';
import type { StateEntry } from './state-entry.js';

/** Writes a map key as the user's key, the way every section stores keys (a fast path for plain strings). */
export function writeMapKey(w: ValueWriter, key: StateMapKey): void {
  if (typeof key === 'string' && key.charCodeAt(0) !== MAP_KEY_MARK_CODE) w.writeString(key);
  else w.writeValue(mapKeyToKey(key));
}

/**
 * The encoded keys of one key group's entries, in their order, in one
 * contiguous buffer. Encoding a section with them copies each key's few bytes
 * from here instead of reading the key string, which lies somewhere on the heap:
 * with the state out of the CPU caches (records ran since the last snapshot) that
 * read is a cache miss per entry, measured to be most of an entry's encoding cost.
 *
 * Valid only for {@link entries} and only while its key set and order are unchanged
 * (values may change): `KeyedStateTable` drops it on every insertion or deletion.
 * Keys hold no objects, so their bytes do not depend on a shape scope.
 */
export class EncodedKeys {
  /**
   * @param entries the key group's entries whose keys these are
   * @param bytes the encoded keys, one after the other
   * @param ends entry i's key is `bytes[ends[i - 1] ?? 0 .. ends[i])`
   */
  constructor(readonly entries: readonly StateEntry[], readonly bytes: Buffer, readonly ends: Uint32Array) {}

  /** Encodes the keys of `entries` as they stand. */
  static of(entries: readonly StateEntry[]): EncodedKeys {
    const n = entries.length;
    const w = new ValueWriter(Math.max(64, n * 12));
    const ends = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      writeMapKey(w, entries[i]!.key);
      ends[i] = w.length;
    }
    return new EncodedKeys(entries, w.copyBytes(), ends);
  }

  /** True when these keys can stand for the keys of `entries` (the same array, with as many entries). */
  fits(entries: readonly StateEntry[]): boolean {
    return this.entries === entries && this.ends.length === entries.length;
  }
}
