import type { ValueWriter } from '../serialization/value-writer.js';
import type { StateMapKey } from './key-context.js';
import { MAP_KEY_MARK_CODE, mapKeyToKey } from './key-hash.js';
import type { StateEntry } from './state-entry.js';

/** Writes a map key as the user's key, the way every section stores keys (a fast path for plain strings). */
export function writeMapKey(w: ValueWriter, key: StateMapKey): void {
  if (typeof key === 'string' && key.charCodeAt(0) !== MAP_KEY_MARK_CODE) w.writeString(key);
  else w.writeValue(mapKeyToKey(key));
}

/**
 * The keys part of a key group's section (entry count, then the keys, in the
 * entries' order: `keyed-state-format.ts`, version 3), kept by `KeyedStateTable`
 * for the next snapshots. Encoding a section with it encodes only the values, and
 * the snapshot's writer copies these bytes as they are: no key string is read —
 * with the state out of the CPU caches (records ran since the last snapshot) that
 * read is a cache miss per entry, measured to be most of an entry's encoding cost.
 *
 * Valid only for {@link entries} and only while its key set and order are unchanged
 * (values may change): the table drops it on every insertion or deletion. Keys
 * hold no objects, so their bytes do not depend on a shape scope. Never changed:
 * the sections of several snapshots may share {@link bytes}.
 */
export class EncodedKeys {
  /** Number of entries whose keys these are. */
  private readonly count: number;

  /**
   * @param entries the key group's entries whose keys these are, as they stand now
   * @param bytes varuint number of entries, then their keys
   */
  constructor(readonly entries: readonly StateEntry[], readonly bytes: Buffer) {
    this.count = entries.length;
  }

  /** True when these keys can stand for the keys of `entries` (the same array, with as many entries). */
  fits(entries: readonly StateEntry[]): boolean {
    return this.entries === entries && this.count === entries.length;
  }
}
