import type { StateMapKey } from './key-context.js';
import type { StateEntry } from './state-entry.js';

/**
 * Entries per V8 `Map` of a {@link KeyIndex}: half of what one Map can hold
 * (2^24 entries), so that a segment never hits V8's limit.
 */
export const KEY_INDEX_SEGMENT_ENTRIES = 1 << 23;

/**
 * All keys of one keyed state, each to its {@link StateEntry}: one `Map` lookup per
 * state access, with no hash of our own (V8 keeps a string's hash in the string, so
 * a key seen before costs no hashing at all; the key-group hash is computed only
 * when a key is first inserted).
 *
 * One V8 Map holds at most 2^24 entries, so the index is a list of segments: new
 * keys go to the last one, and a new segment starts when it holds
 * {@link KEY_INDEX_SEGMENT_ENTRIES}. With up to 8 M keys per subtask and state —
 * nearly always — there is one segment and one lookup; beyond, a lookup tries the
 * segments in turn.
 */
export class KeyIndex {
  private readonly segments: Map<StateMapKey, StateEntry>[] = [new Map()];
  private last: Map<StateMapKey, StateEntry> = this.segments[0]!;

  /** @param segmentEntries keys per segment (smaller only in tests) */
  constructor(private readonly segmentEntries = KEY_INDEX_SEGMENT_ENTRIES) {}

  /** Number of keys. */
  get size(): number {
    let n = 0;
    for (const segment of this.segments) n += segment.size;
    return n;
  }

  /** The entry of a key, or undefined. */
  get(key: StateMapKey): StateEntry | undefined {
    const entry = this.last.get(key);
    if (entry !== undefined || this.segments.length === 1) return entry;
    return this.getFromEarlierSegments(key);
  }

  /** Adds a key that is not in the index yet. */
  add(key: StateMapKey, entry: StateEntry): void {
    if (this.last.size >= this.segmentEntries) {
      this.last = new Map();
      this.segments.push(this.last);
    }
    this.last.set(key, entry);
  }

  /** Points an indexed key at another entry (a copied key group's). */
  replace(key: StateMapKey, entry: StateEntry): void {
    for (const segment of this.segments) {
      if (segment.has(key)) {
        segment.set(key, entry);
        return;
      }
    }
  }

  /** Removes a key, if present. */
  delete(key: StateMapKey): void {
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]!.delete(key)) return;
  }

  private getFromEarlierSegments(key: StateMapKey): StateEntry | undefined {
    for (let i = this.segments.length - 2; i >= 0; i--) {
      const entry = this.segments[i]!.get(key);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }
}
