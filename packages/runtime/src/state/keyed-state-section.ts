import type { StateKind } from '@tsflink/api';
import { ValueWriter } from '../serialization/value-writer.js';
import type { StateMapKey } from './key-context.js';
import { MAP_KEY_MARK_CODE, mapKeyToKey } from './key-hash.js';

/** One key group's entries of one state, as the table stores them. */
export type KeyGroupMap = Map<StateMapKey, unknown>;

/**
 * Writes one entry of a section (see `keyed-state-format.ts`, version 2): the
 * user's key, then by kind the value, the list as one array, or a map state's
 * inner map as varuint n + n × (user key, value).
 */
export function writeSectionEntry(w: ValueWriter, kind: StateKind, key: StateMapKey, value: unknown): void {
  // Fast paths for the common keys and values (measured ~20 % less per entry than the generic writeValue).
  if (typeof key === 'string' && key.charCodeAt(0) !== MAP_KEY_MARK_CODE) w.writeString(key);
  else w.writeValue(mapKeyToKey(key));
  if (kind !== 'map') {
    if (typeof value === 'number') w.writeNumber(value);
    else w.writeValue(value);
    return;
  }
  const inner = value as KeyGroupMap;
  w.writeVarUint(inner.size);
  for (const [userKey, userValue] of inner) {
    w.writeValue(mapKeyToKey(userKey));
    w.writeValue(userValue);
  }
}

/** When {@link KeyedStateSectionEncoder.encode} gives up: past `maxBytes`, unless the entries average fewer than `smallEntryBytes`. */
export interface SectionEncodingBound {
  readonly maxBytes: number;
  readonly smallEntryBytes: number;
}

/** Entries encoded between two checks of the bound. */
const BOUND_CHECK_EVERY = 64;
/** A scratch buffer grown beyond this is dropped after use instead of being kept for the next section. */
const KEEP_SCRATCH_BYTES = 4 * 1024 * 1024;

/**
 * Encodes whole sections — one state's entries of one key group, a shape scope of
 * their own — into exactly sized Buffers, ahead of a snapshot's writer (see
 * `KeyedStateTable`: serialize-on-write). One encoder serves all tables of a
 * backend; it keeps one scratch buffer between calls.
 */
export class KeyedStateSectionEncoder {
  private scratch = new ValueWriter(64 * 1024);
  private perEntry = 0;

  /** Bytes per entry of the last {@link encode}, also when it gave up (then of the entries encoded until then). */
  get lastBytesPerEntry(): number {
    return this.perEntry;
  }

  /**
   * The section of `map` (varuint entry count, then the entries), or undefined
   * when the encoding passed the bound (nothing is kept then). Throws what the
   * value encoding throws for values that are not plain data.
   */
  encode(kind: StateKind, map: KeyGroupMap, bound: SectionEncodingBound): Buffer | undefined {
    const w = this.scratch;
    w.clear();
    w.writeVarUint(map.size);
    let entries = 0;
    try {
      for (const [key, value] of map) {
        writeSectionEntry(w, kind, key, value);
        if (++entries % BOUND_CHECK_EVERY === 0 && w.length > bound.maxBytes && w.length >= entries * bound.smallEntryBytes) {
          this.perEntry = w.length / entries;
          return undefined;
        }
      }
      this.perEntry = entries > 0 ? w.length / entries : 0;
      return w.copyBytes();
    } finally {
      if (w.capacity > KEEP_SCRATCH_BYTES) this.scratch = new ValueWriter(64 * 1024);
    }
  }
}
