import type { StateKind } from '@tsflink/api';
import { ValueWriter } from '../serialization/value-writer.js';
import { writeMapKey } from './encoded-keys.js';
import type { EncodedKeys } from './encoded-keys.js';
import type { StateMapKey } from './key-context.js';
import type { StateEntry } from './state-entry.js';

/** A map state's value per key: the canonical user key (see `keyToMapKey`) → the user's value. */
export type InnerMap = Map<StateMapKey, unknown>;

/**
 * Writes what a section holds for one entry after all keys (see
 * `keyed-state-format.ts`, version 3): by kind the value, the list as one array,
 * or a map state's inner map as varuint n + n × (user key, value).
 */
export function writeSectionValue(w: ValueWriter, kind: StateKind, value: unknown): void {
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

/**
 * A section encoded ahead of a snapshot's writer, in its two parts, which the
 * writer writes one after the other: `keys` (the entry count and the keys) and
 * `values`. `keys` may be shared — with the table's {@link EncodedKeys} and with
 * other snapshots' sections — and is never changed.
 */
export interface EncodedSection {
  readonly keys: Buffer;
  readonly values: Buffer;
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

  /** Bytes per entry of the last {@link encode}, also when it gave up (then estimated from the entries encoded until then). */
  get lastBytesPerEntry(): number {
    return this.perEntry;
  }

  /**
   * The section of a key group's `group` entries, or undefined when the encoding
   * passed the bound (nothing is kept then). With `keys` that fit the entries, the
   * section's keys part is `keys.bytes` itself and only the values are encoded.
   * Throws what the value encoding throws for values that are not plain data.
   */
  encode(kind: StateKind, group: readonly StateEntry[], bound: SectionEncodingBound, keys?: EncodedKeys): EncodedSection | undefined {
    const n = group.length;
    try {
      let keyBytes: Buffer | undefined;
      if (keys !== undefined && keys.fits(group)) keyBytes = keys.bytes;
      else keyBytes = this.encodeKeys(group, bound);
      if (keyBytes === undefined) return undefined;
      const w = this.scratch;
      w.clear();
      const values = this.gatherValues(group);
      let entries = 0;
      while (entries < n) {
        writeSectionValue(w, kind, values[entries]);
        if ((++entries & BOUND_CHECK_MASK) === 0 && pastBound(keyBytes.length + w.length, n, bound)) break;
      }
      this.perEntry = keyBytes.length / n + (entries > 0 ? w.length / entries : 0);
      return entries === n ? { keys: keyBytes, values: w.copyBytes() } : undefined;
    } finally {
      if (this.scratch.capacity > KEEP_SCRATCH_BYTES) this.scratch = new ValueWriter(64 * 1024);
      this.values.length = 0;
    }
  }

  /** The keys part of a section: the entry count and every key; undefined when that alone passed the bound. */
  private encodeKeys(group: readonly StateEntry[], bound: SectionEncodingBound): Buffer | undefined {
    const w = this.scratch;
    w.clear();
    const n = group.length;
    w.writeVarUint(n);
    let entries = 0;
    while (entries < n) {
      writeMapKey(w, group[entries]!.key);
      if ((++entries & BOUND_CHECK_MASK) === 0 && pastBound(w.length, entries, bound)) {
        this.perEntry = w.length / entries;
        return undefined;
      }
    }
    return w.copyBytes();
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
