import type { StateKind } from '@tsflink/api';
import { ValueWriter } from '../serialization/value-writer.js';
import { writeMapKey } from './encoded-keys.js';
import type { EncodedKeys } from './encoded-keys.js';
import type { StateMapKey } from './key-context.js';
import type { StateEntry } from './state-entry.js';

/** A map state's value per key: the canonical user key (see `keyToMapKey`) → the user's value. */
export type InnerMap = Map<StateMapKey, unknown>;

/**
 * Writes one entry of a section (see `keyed-state-format.ts`, version 2): the
 * user's key, then by kind the value, the list as one array, or a map state's
 * inner map as varuint n + n × (user key, value).
 */
export function writeSectionEntry(w: ValueWriter, kind: StateKind, key: StateMapKey, value: unknown): void {
  writeMapKey(w, key);
  writeSectionValue(w, kind, value);
}

/** Writes the part of an entry after its key. */
function writeSectionValue(w: ValueWriter, kind: StateKind, value: unknown): void {
  if (kind !== 'map') {
    if (typeof value === 'number') w.writeNumber(value); // the common case, without writeValue's type dispatch
    else w.writeValue(value);
    return;
  }
  const inner = value as InnerMap;
  w.writeVarUint(inner.size);
  for (const [userKey, userValue] of inner) {
    writeMapKey(w, userKey);
    w.writeValue(userValue);
  }
}

/** When {@link KeyedStateSectionEncoder.encode} gives up: past `maxBytes`, unless the entries average fewer than `smallEntryBytes`. */
export interface SectionEncodingBound {
  readonly maxBytes: number;
  readonly smallEntryBytes: number;
}

/** Entries encoded between two checks of the bound (a power of two, minus one). */
const BOUND_CHECK_MASK = 63;
/** A scratch buffer grown beyond this is dropped after use instead of being kept for the next section. */
const KEEP_SCRATCH_BYTES = 4 * 1024 * 1024;

function pastBound(bytes: number, entries: number, bound: SectionEncodingBound): boolean {
  return bytes > bound.maxBytes && bytes >= entries * bound.smallEntryBytes;
}

/**
 * Encodes whole sections — one state's entries of one key group, a shape scope of
 * their own — into exactly sized Buffers, ahead of a snapshot's writer (see
 * `KeyedStateTable`: serialize-on-write). One encoder serves all tables of a
 * backend; it keeps one scratch buffer between calls.
 */
export class KeyedStateSectionEncoder {
  private scratch = new ValueWriter(64 * 1024);
  private perEntry = 0;
  /** Scratch for {@link gatherValues}, emptied after each section. */
  private readonly values: unknown[] = [];

  /** Bytes per entry of the last {@link encode}, also when it gave up (then of the entries encoded until then). */
  get lastBytesPerEntry(): number {
    return this.perEntry;
  }

  /**
   * The section of a key group's `group` entries (varuint entry count, then the
   * entries), or undefined when the encoding passed the bound (nothing is kept
   * then). With `keys` that fit the entries, the keys' bytes are copied from
   * there. Throws what the value encoding throws for values that are not plain data.
   */
  encode(kind: StateKind, group: readonly StateEntry[], bound: SectionEncodingBound, keys?: EncodedKeys): Buffer | undefined {
    const w = this.scratch;
    w.clear();
    const n = group.length;
    w.writeVarUint(n);
    let entries = 0;
    try {
      if (keys !== undefined && keys.fits(group)) {
        const { bytes, ends } = keys;
        const values = this.gatherValues(group);
        let from = 0;
        while (entries < n) {
          const to = ends[entries]!;
          w.writeBytesRange(bytes, from, to);
          from = to;
          writeSectionValue(w, kind, values[entries]);
          if ((++entries & BOUND_CHECK_MASK) === 0 && pastBound(w.length, entries, bound)) break;
        }
      } else {
        while (entries < n) {
          const entry = group[entries]!;
          writeSectionEntry(w, kind, entry.key, entry.value);
          if ((++entries & BOUND_CHECK_MASK) === 0 && pastBound(w.length, entries, bound)) break;
        }
      }
      this.perEntry = entries > 0 ? w.length / entries : 0;
      return entries === n ? w.copyBytes() : undefined;
    } finally {
      if (w.capacity > KEEP_SCRATCH_BYTES) this.scratch = new ValueWriter(64 * 1024);
      this.values.length = 0;
    }
  }

  /**
   * The entries' values, read in a tight loop of independent loads: the entries lie
   * scattered on the heap, and read one by one between encoding steps each would
   * be a cache miss waited for alone (measured: most of a running count's encoding).
   */
  private gatherValues(group: readonly StateEntry[]): readonly unknown[] {
    const values = this.values;
    for (let i = 0; i < group.length; i++) values[i] = group[i]!.value;
    return values;
  }
}
