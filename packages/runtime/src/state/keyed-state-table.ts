import type { StateKind } from '@tsflink/api';
import { EncodedKeys } from './encoded-keys.js';
import type { StateMapKey } from './key-context.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import type { KeyGroupMap, SectionEncodingBound } from './keyed-state-section.js';
import { KeyedStateTableCapture } from './keyed-state-table-capture.js';
import { clonePlainData } from './plain-data-clone.js';

/**
 * How much a write may encode on the record path before the table copies the
 * key group instead: 1 MiB (≈ 2–4 ms), unless the entries are small — below
 * 64 bytes each, encoding a group costs less than copying its Map would
 * (`new Map` costs ~0.5 s per million entries, DESIGN.md 13), so it is encoded
 * whatever its size.
 */
export const SERIALIZE_ON_WRITE_BOUND: SectionEncodingBound = { maxBytes: 1024 * 1024, smallEntryBytes: 64 };

/**
 * How much a snapshot's writer encodes in one go through the table: 1 MiB,
 * whatever the entries (unlike a write, the writer can stream a larger group
 * across event-loop turns instead).
 */
const WRITER_ENCODE_BOUND: SectionEncodingBound = { maxBytes: SERIALIZE_ON_WRITE_BOUND.maxBytes, smallEntryBytes: 0 };

/** Groups with more entries than this keep no encoded keys (their memory: ≈ the key bytes + 4 per entry). */
const MAX_ENCODED_KEYS_ENTRIES = 65_536;

/**
 * The storage of one keyed state: one `Map` per key group (never one giant Map,
 * DESIGN.md 13), from the canonical key to the stored value (a value, a list
 * array, an inner Map for map state, an accumulator).
 *
 * Snapshots without copies ("serialize-on-write"): {@link capture} hands a
 * snapshot the current maps in O(key groups) and pins them. The snapshot's
 * writer encodes the groups in order, asynchronously. When a record is about to
 * write to a pinned group first — or to read a mutable object from it that user
 * code may change — the table encodes that group's entries right then for every
 * snapshot still waiting for it (those bytes are needed anyway; all of them see
 * the same content, since nothing wrote in between), unpins it, and the write
 * goes to the same Map: nothing is copied. The writer later takes those bytes.
 *
 * A group is copied instead (a new Map and `clonePlainData` of every value; the
 * snapshots keep the original) when its encoding would exceed
 * {@link SERIALIZE_ON_WRITE_BOUND}, when a writer is iterating it with pauses,
 * or when a value cannot be encoded (the snapshot's writer then reports it).
 * Either way a write pays at most once per group and snapshot, proportional to
 * that group only: at most ~1 MiB of encoding for large entries; for small ones
 * the group's encoding (state size ÷ key groups: with 1 GiB of small entries in
 * 128 groups, 8 MiB ≈ 25 ms — a larger max parallelism makes groups smaller).
 *
 * Groups whose keys stay the same from one snapshot to the next (only values
 * change: a running count) keep their keys encoded ({@link EncodedKeys}, for
 * groups of up to 65,536 entries), so encoding them again copies the key bytes
 * instead of reading every key string.
 */
export class KeyedStateTable {
  /** Key-group index (relative to the backend's range start) → map, created on first write. */
  private readonly maps: (KeyGroupMap | undefined)[];
  /** Key-group index → number of open captures whose pending map is the live map. */
  private readonly pins: Uint32Array;
  /** Key-group index → number of snapshot writers iterating the live map across event-loop turns. */
  private readonly streams: Uint32Array;
  private readonly captures = new Set<KeyedStateTableCapture>();
  /** Key-group index → the group's keys, encoded, while its key set and order stay as they were. */
  private readonly keyCaches: (EncodedKeys | undefined)[];
  /** Key-group index → 1 when keys were inserted or deleted since the group was last encoded. */
  private readonly keysChanged: Uint8Array;
  /** Encoded bytes per entry in the last section of this state (0 until known): predicts the cost of encoding. */
  private bytesPerEntry = 0;
  private copies = 0;
  private encodes = 0;
  private encodesWithKeys = 0;

  /**
   * @param encoder encodes sections on the record path; the tables of one backend share one
   */
  constructor(
    readonly name: string,
    readonly kind: StateKind,
    readonly numberOfKeyGroups: number,
    private readonly encoder = new KeyedStateSectionEncoder(),
  ) {
    this.maps = new Array<KeyGroupMap | undefined>(numberOfKeyGroups).fill(undefined);
    this.pins = new Uint32Array(numberOfKeyGroups);
    this.streams = new Uint32Array(numberOfKeyGroups);
    this.keyCaches = new Array<EncodedKeys | undefined>(numberOfKeyGroups).fill(undefined);
    this.keysChanged = new Uint8Array(numberOfKeyGroups).fill(1);
  }

  /** How many key-group maps were copied because a snapshot needed them unchanged (for tests and metrics). */
  get keyGroupCopies(): number {
    return this.copies;
  }

  /** How many key groups the table encoded for pending snapshots (for a record's first write, or for the writer), rather than a writer streaming them (for tests and metrics). */
  get keyGroupEncodes(): number {
    return this.encodes;
  }

  /** How many of those encodings copied the keys from kept {@link EncodedKeys} (for tests and metrics). */
  get keyGroupEncodesWithKeptKeys(): number {
    return this.encodesWithKeys;
  }

  /** The stored value, without releasing pins; callers must not hand a mutable result to user code. */
  peek(keyGroupIndex: number, mapKey: StateMapKey): unknown {
    const map = this.maps[keyGroupIndex];
    return map === undefined ? undefined : map.get(mapKey);
  }

  /** True when a value is stored for the key. */
  has(keyGroupIndex: number, mapKey: StateMapKey): boolean {
    const map = this.maps[keyGroupIndex];
    return map !== undefined && map.has(mapKey);
  }

  /** The stored value, safe to hand to user code that may mutate it (releases a pinned key group first). */
  read(keyGroupIndex: number, mapKey: StateMapKey): unknown {
    const map = this.maps[keyGroupIndex];
    if (map === undefined) return undefined;
    const value = map.get(mapKey);
    if (value !== null && typeof value === 'object' && this.pins[keyGroupIndex] !== 0) {
      this.releaseForWrite(keyGroupIndex);
      return this.maps[keyGroupIndex]!.get(mapKey);
    }
    return value;
  }

  /** Stores a value. */
  set(keyGroupIndex: number, mapKey: StateMapKey, value: unknown): void {
    let map = this.maps[keyGroupIndex];
    if (map === undefined || this.pins[keyGroupIndex] !== 0) map = this.liveMap(keyGroupIndex);
    const size = map.size;
    map.set(mapKey, value);
    if (map.size !== size) this.onKeysChanged(keyGroupIndex);
  }

  /** Removes the value of a key, if any. */
  delete(keyGroupIndex: number, mapKey: StateMapKey): void {
    const map = this.maps[keyGroupIndex];
    if (map === undefined || !map.has(mapKey)) return;
    this.liveMap(keyGroupIndex).delete(mapKey);
    this.onKeysChanged(keyGroupIndex);
  }

  /**
   * The map of a key group, for a caller that may insert or delete keys itself
   * (list and map state, restore): created, or released from pending snapshots,
   * as needed; its encoded keys are dropped.
   */
  writable(keyGroupIndex: number): KeyGroupMap {
    const map = this.liveMap(keyGroupIndex);
    this.onKeysChanged(keyGroupIndex);
    return map;
  }

  /** Pins the current maps for a snapshot: O(key groups), copies and encodes nothing. Release it with {@link release}. */
  capture(): KeyedStateTableCapture {
    const pending = this.maps.slice();
    for (let i = 0; i < pending.length; i++) {
      const map = pending[i];
      if (map === undefined) continue;
      if (map.size === 0) pending[i] = undefined;
      else this.pins[i]!++;
    }
    const capture = new KeyedStateTableCapture(pending);
    this.captures.add(capture);
    return capture;
  }

  /** Drops a capture (written or abandoned): unpins what it still held. Idempotent. */
  release(capture: KeyedStateTableCapture): void {
    if (!this.captures.delete(capture)) return;
    for (let i = 0; i < capture.pending.length; i++) {
      const map = capture.pending[i];
      if (map !== undefined && map === this.maps[i]) this.pins[i]!--;
    }
    capture.pending.fill(undefined);
    capture.sections.fill(undefined);
  }

  /**
   * For a snapshot's writer that reached a key group still pinned for `capture`:
   * encodes it now, as a write would, for every capture waiting for it, when its
   * section stays within 1 MiB. False when the writer should stream the group
   * instead (see {@link startStreaming}). Throws when a value cannot be encoded.
   */
  encodePending(capture: KeyedStateTableCapture, keyGroupIndex: number): boolean {
    const map = capture.pending[keyGroupIndex];
    if (map === undefined || map !== this.maps[keyGroupIndex] || this.streams[keyGroupIndex] !== 0) return false;
    if (map.size * this.bytesPerEntry > WRITER_ENCODE_BOUND.maxBytes) return false;
    return this.encodeLive(keyGroupIndex, WRITER_ENCODE_BOUND, true);
  }

  /**
   * The map a snapshot's writer is about to encode for a key group, iterating it
   * across event-loop turns; undefined when there is none (encoded already or
   * empty). While it streams, a write copies the group instead of encoding it.
   * Call {@link finishStreaming} when done, also after a failure.
   */
  startStreaming(capture: KeyedStateTableCapture, keyGroupIndex: number): KeyGroupMap | undefined {
    const map = capture.pending[keyGroupIndex];
    if (map !== undefined && map === this.maps[keyGroupIndex]) this.streams[keyGroupIndex]!++;
    return map;
  }

  /** The writer is past the group: unpins it for this capture; `bytes` (the section's size) tunes later encodings. */
  finishStreaming(capture: KeyedStateTableCapture, keyGroupIndex: number, bytes: number): void {
    const map = capture.pending[keyGroupIndex];
    if (map === undefined) return;
    if (map === this.maps[keyGroupIndex]) {
      this.streams[keyGroupIndex]!--;
      this.pins[keyGroupIndex]!--;
    }
    capture.pending[keyGroupIndex] = undefined;
    if (bytes > 0) this.bytesPerEntry = bytes / map.size;
  }

  /** The map of a key group, read-only, or undefined when it holds nothing. */
  mapOf(keyGroupIndex: number): ReadonlyMap<StateMapKey, unknown> | undefined {
    return this.maps[keyGroupIndex];
  }

  /** Number of keys holding a value. */
  size(): number {
    let n = 0;
    for (const map of this.maps) if (map !== undefined) n += map.size;
    return n;
  }

  /** All map keys, key group by key group. */
  *mapKeys(): IterableIterator<StateMapKey> {
    for (const map of this.maps) if (map !== undefined) yield* map.keys();
  }

  /** The live map of a group, created, or released from pending snapshots, as needed. */
  private liveMap(keyGroupIndex: number): KeyGroupMap {
    const map = this.maps[keyGroupIndex];
    if (map === undefined) {
      const created: KeyGroupMap = new Map();
      this.maps[keyGroupIndex] = created;
      return created;
    }
    if (this.pins[keyGroupIndex] !== 0) this.releaseForWrite(keyGroupIndex);
    return this.maps[keyGroupIndex]!;
  }

  /**
   * Makes a pinned group writable: encodes it for the captures waiting for it
   * (serialize-on-write), or copies it when that is too costly or not possible.
   */
  private releaseForWrite(keyGroupIndex: number): void {
    const map = this.maps[keyGroupIndex]!;
    if (this.streams[keyGroupIndex] === 0 && this.encodingLooksCheap(map.size) && this.encodeLive(keyGroupIndex, SERIALIZE_ON_WRITE_BOUND, false)) {
      return;
    }
    this.copyForWrite(keyGroupIndex);
  }

  /**
   * Encodes the pinned live map of a group and hands the section to every capture
   * waiting for it, which unpins the group. False when the encoding passed
   * `bound`, or failed and `throwOnFailure` is false (a record's write then copies
   * the group and the snapshot's writer reports the value it cannot encode).
   */
  private encodeLive(keyGroupIndex: number, bound: SectionEncodingBound, throwOnFailure: boolean): boolean {
    const map = this.maps[keyGroupIndex]!;
    let section: Buffer | undefined;
    const keys = this.encodedKeysOf(keyGroupIndex);
    try {
      section = this.encoder.encode(this.kind, map, bound, keys);
    } catch (error) {
      if (throwOnFailure) throw error;
      return false;
    }
    this.bytesPerEntry = this.encoder.lastBytesPerEntry;
    if (section === undefined) return false;
    for (const capture of this.captures) {
      if (capture.pending[keyGroupIndex] !== map) continue;
      capture.pending[keyGroupIndex] = undefined;
      capture.sections[keyGroupIndex] = section;
    }
    this.pins[keyGroupIndex] = 0;
    this.encodes++;
    if (keys !== undefined) this.encodesWithKeys++;
    return true;
  }

  /**
   * The group's encoded keys: kept ones, or new ones when its keys did not change
   * since it was last encoded (a group whose keys change all the time never pays
   * for them); undefined otherwise. Marks the group as encoded.
   */
  private encodedKeysOf(keyGroupIndex: number): EncodedKeys | undefined {
    let keys = this.keyCaches[keyGroupIndex];
    const map = this.maps[keyGroupIndex]!;
    if (keys === undefined && this.keysChanged[keyGroupIndex] === 0 && map.size <= MAX_ENCODED_KEYS_ENTRIES) {
      keys = this.keyCaches[keyGroupIndex] = EncodedKeys.of(map);
    }
    this.keysChanged[keyGroupIndex] = 0;
    return keys;
  }

  /** A key was inserted into or deleted from the live map (or may be, by a caller of {@link writable}). */
  private onKeysChanged(keyGroupIndex: number): void {
    this.keyCaches[keyGroupIndex] = undefined;
    this.keysChanged[keyGroupIndex] = 1;
  }

  /** False when the last section of this state predicts an encoding beyond {@link SERIALIZE_ON_WRITE_BOUND}. */
  private encodingLooksCheap(entries: number): boolean {
    const perEntry = this.bytesPerEntry;
    return perEntry < SERIALIZE_ON_WRITE_BOUND.smallEntryBytes || entries * perEntry <= SERIALIZE_ON_WRITE_BOUND.maxBytes;
  }

  /** Gives the live state a deep copy of the group; the captures keep the original, which nothing changes any more. */
  private copyForWrite(keyGroupIndex: number): void {
    const shared = this.maps[keyGroupIndex]!;
    const copy: KeyGroupMap = new Map();
    for (const [k, v] of shared) copy.set(k, clonePlainData(v));
    this.maps[keyGroupIndex] = copy;
    this.pins[keyGroupIndex] = 0;
    this.streams[keyGroupIndex] = 0;
    this.onKeysChanged(keyGroupIndex);
    this.copies++;
  }
}
