import type { StateKind } from '@tsflink/api';
import { EncodedKeys } from './encoded-keys.js';
import type { StateKeyRef, StateMapKey } from './key-context.js';
import { KeyIndex } from './key-index.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import type { EncodedSection, SectionEncodingBound } from './keyed-state-section.js';
import { KeyedStateTableCapture } from './keyed-state-table-capture.js';
import { clonePlainData } from './plain-data-clone.js';
import { StateEntry } from './state-entry.js';
import type { KeyGroupEntries } from './state-entry.js';
import { NoCurrentKeyError } from './state-errors.js';

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

/** Groups with more entries than this keep no encoded keys (their memory: ≈ the key bytes). */
const MAX_ENCODED_KEYS_ENTRIES = 65_536;

/** What {@link KeyedStateTable}'s one-entry cache holds while it knows no key. */
const NO_KEY: unique symbol = Symbol('no key');

/**
 * The storage of one keyed state. Every entry ({@link StateEntry}: key, value,
 * key group) is found by key through a {@link KeyIndex} — one `Map` lookup per
 * access, no key-group hash: V8 keeps each string's hash inside the string, while
 * our key-group hash (murmur over the characters) would be computed per record —
 * and listed in its key group's {@link KeyGroupEntries}, so that snapshots still
 * go key group by key group (DESIGN.md 13) and restore at any parallelism. The
 * key group is computed only when a key is first inserted. The last entry looked
 * up is kept, so a record that reads and then updates its key looks it up once.
 *
 * Snapshots without copies ("serialize-on-write"): {@link capture} hands a
 * snapshot the current groups in O(key groups) and pins them. The snapshot's
 * writer encodes the groups in order, asynchronously. When a record is about to
 * write to a pinned group first — or to read a mutable object from it that user
 * code may change — the table encodes that group's entries right then for every
 * snapshot still waiting for it (those bytes are needed anyway; all of them see
 * the same content, since nothing wrote in between), unpins it, and the write
 * goes to the same entry: nothing is copied. The writer later takes those bytes.
 *
 * A group is copied instead (new entries holding `clonePlainData` of every value,
 * the index pointed at them; the snapshots keep the original entries) when its
 * encoding would exceed {@link SERIALIZE_ON_WRITE_BOUND}, when a writer is
 * iterating it with pauses, or when a value cannot be encoded (the snapshot's
 * writer then reports it). Either way a write pays at most once per group and
 * snapshot, proportional to that group only: at most ~1 MiB of encoding for large
 * entries; for small ones the group's encoding (state size ÷ key groups: with
 * 1 GiB of small entries in 128 groups, 8 MiB ≈ 25 ms — a larger max parallelism
 * makes groups smaller).
 *
 * A group keeps the keys part of its last section ({@link EncodedKeys}, for groups
 * of up to 65,536 entries) until a key is inserted or deleted: while only values
 * change (a running count), the next sections encode only the values and share
 * those bytes.
 */
export class KeyedStateTable {
  /** Every key of the state → its entry. */
  private readonly index: KeyIndex;
  /** Key-group index (relative to the backend's range start) → its entries, created on first insertion. */
  private readonly groups: (KeyGroupEntries | undefined)[];
  /** Key-group index → number of open captures whose pending entries are the live ones. */
  private readonly pins: Uint32Array;
  /** Key-group index → number of snapshot writers iterating the live entries across event-loop turns. */
  private readonly streams: Uint32Array;
  private readonly captures = new Set<KeyedStateTableCapture>();
  /** Key-group index → the keys part of the group's last section, while its key set and order stay as they were. */
  private readonly keyCaches: (EncodedKeys | undefined)[];
  /** The key of the last lookup, and its entry (undefined: the key holds no value). */
  private cachedKey: StateMapKey | typeof NO_KEY = NO_KEY;
  private cachedEntry: StateEntry | undefined = undefined;
  /** Written by {@link prefetch} only so that its reads of the entries are not optimized away. */
  private prefetchedSlots = 0;
  /** Encoded bytes per entry in the last section of this state (0 until known): predicts the cost of encoding. */
  private bytesPerEntry = 0;
  private copies = 0;
  private encodes = 0;
  private encodesWithKeys = 0;

  /**
   * @param encoder encodes sections on the record path; the tables of one backend share one
   * @param index the key index (tests pass one with small segments)
   */
  constructor(
    readonly name: string,
    readonly kind: StateKind,
    readonly numberOfKeyGroups: number,
    private readonly encoder = new KeyedStateSectionEncoder(),
    index = new KeyIndex(),
  ) {
    this.index = index;
    this.groups = new Array<KeyGroupEntries | undefined>(numberOfKeyGroups).fill(undefined);
    this.pins = new Uint32Array(numberOfKeyGroups);
    this.streams = new Uint32Array(numberOfKeyGroups);
    this.keyCaches = new Array<EncodedKeys | undefined>(numberOfKeyGroups).fill(undefined);
  }

  /** How many key groups were copied because a snapshot needed them unchanged (for tests and metrics). */
  get keyGroupCopies(): number {
    return this.copies;
  }

  /** How many key groups the table encoded for pending snapshots (for a record's first write, or for the writer), rather than a writer streaming them (for tests and metrics). */
  get keyGroupEncodes(): number {
    return this.encodes;
  }

  /** How many of those encodings took the keys part from kept {@link EncodedKeys} (for tests and metrics). */
  get keyGroupEncodesWithKeptKeys(): number {
    return this.encodesWithKeys;
  }

  /**
   * Looks up `keys[0..count)` in a tight loop and reads each entry found, so that
   * the memory they touch is in the CPU caches when the records are processed (see
   * `HeapKeyedStateBackend.prefetch`); changes nothing.
   */
  prefetch(keys: readonly StateMapKey[], count: number): void {
    let slots = 0;
    for (let i = 0; i < count; i++) {
      const entry = this.index.get(keys[i]!);
      if (entry !== undefined) slots += entry.slot;
    }
    this.prefetchedSlots = slots;
  }

  /** The stored value, without releasing pins; callers must not hand a mutable result to user code. */
  peek(key: StateKeyRef): unknown {
    return this.entryOf(key)?.value;
  }

  /** The stored value, safe to hand to user code that may mutate it (releases a pinned key group first). */
  read(key: StateKeyRef): unknown {
    const entry = this.entryOf(key);
    if (entry === undefined) return undefined;
    const value = entry.value;
    if (value !== null && typeof value === 'object') return this.writable(entry).value;
    return value;
  }

  /**
   * The stored object of the key, for a caller that changes it in place (appends to
   * a list, puts into a map state's inner map): its group is released from pending
   * snapshots first. Undefined when the key holds no value.
   */
  readForUpdate(key: StateKeyRef): unknown {
    const entry = this.entryOf(key);
    if (entry === undefined) return undefined;
    return this.writable(entry).value;
  }

  /** Stores a value. */
  set(key: StateKeyRef, value: unknown): void {
    const entry = this.entryOf(key);
    if (entry === undefined) this.insert(key.keyGroupIndex(), key.mapKey!, value);
    else this.writable(entry).value = value;
  }

  /** Removes the value of a key, if any. */
  delete(key: StateKeyRef): void {
    const entry = this.entryOf(key);
    if (entry === undefined) return;
    const keyGroupIndex = entry.keyGroupIndex;
    if (this.pins[keyGroupIndex] !== 0) this.releaseForWrite(keyGroupIndex);
    const group = this.groups[keyGroupIndex]!;
    const last = group.pop()!;
    if (last.slot !== entry.slot) {
      group[entry.slot] = last;
      last.slot = entry.slot;
    }
    this.index.delete(entry.key);
    this.cachedKey = NO_KEY;
    this.onKeysChanged(keyGroupIndex);
  }

  /** Number of keys of a key group holding a value. */
  keyGroupSize(keyGroupIndex: number): number {
    return this.groups[keyGroupIndex]?.length ?? 0;
  }

  /**
   * Stores a value read from a snapshot under its key group (restore). `isNew`:
   * the caller knows the key holds no value (its group was empty before this
   * section, whose keys are distinct), which saves a lookup per entry.
   */
  restore(keyGroupIndex: number, mapKey: StateMapKey, value: unknown, isNew = false): void {
    if (isNew) {
      this.insert(keyGroupIndex, mapKey, value);
      return;
    }
    const entry = this.index.get(mapKey);
    if (entry === undefined) this.insert(keyGroupIndex, mapKey, value);
    else this.writable(entry).value = value;
  }

  /** Pins the current groups for a snapshot: O(key groups), copies and encodes nothing. Release it with {@link release}. */
  capture(): KeyedStateTableCapture {
    const pending = this.groups.slice();
    for (let i = 0; i < pending.length; i++) {
      const group = pending[i];
      if (group === undefined) continue;
      if (group.length === 0) pending[i] = undefined;
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
      const group = capture.pending[i];
      if (group !== undefined && group === this.groups[i]) this.pins[i]!--;
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
    const group = capture.pending[keyGroupIndex];
    if (group === undefined || group !== this.groups[keyGroupIndex] || this.streams[keyGroupIndex] !== 0) return false;
    if (group.length * this.bytesPerEntry > WRITER_ENCODE_BOUND.maxBytes) return false;
    return this.encodeLive(keyGroupIndex, WRITER_ENCODE_BOUND, true);
  }

  /**
   * The entries a snapshot's writer is about to encode for a key group, iterating
   * them across event-loop turns; undefined when there are none (encoded already or
   * empty). While it streams, a write copies the group instead of encoding it.
   * Call {@link finishStreaming} when done, also after a failure.
   */
  startStreaming(capture: KeyedStateTableCapture, keyGroupIndex: number): readonly StateEntry[] | undefined {
    const group = capture.pending[keyGroupIndex];
    if (group !== undefined && group === this.groups[keyGroupIndex]) this.streams[keyGroupIndex]!++;
    return group;
  }

  /** The writer is past the group: unpins it for this capture; `bytes` (the section's size) tunes later encodings. */
  finishStreaming(capture: KeyedStateTableCapture, keyGroupIndex: number, bytes: number): void {
    const group = capture.pending[keyGroupIndex];
    if (group === undefined) return;
    if (group === this.groups[keyGroupIndex]) {
      this.streams[keyGroupIndex]!--;
      this.pins[keyGroupIndex]!--;
    }
    capture.pending[keyGroupIndex] = undefined;
    if (bytes > 0) this.bytesPerEntry = bytes / group.length;
  }

  /** The entries of a key group, read-only, or undefined when it never held any. */
  entriesOf(keyGroupIndex: number): readonly StateEntry[] | undefined {
    return this.groups[keyGroupIndex];
  }

  /** Number of keys holding a value (O(1) up to 8 M keys). */
  size(): number {
    return this.index.size;
  }

  /** All map keys, key group by key group. */
  *mapKeys(): IterableIterator<StateMapKey> {
    for (const group of this.groups) if (group !== undefined) for (const entry of group) yield entry.key;
  }

  /** The entry of the key, through the one-entry cache. */
  private entryOf(key: StateKeyRef): StateEntry | undefined {
    const mapKey = key.mapKey;
    if (mapKey === this.cachedKey) return this.cachedEntry;
    if (mapKey === undefined) throw new NoCurrentKeyError();
    const entry = this.index.get(mapKey);
    this.cachedKey = mapKey;
    this.cachedEntry = entry;
    return entry;
  }

  /** Adds a key that holds no value yet. */
  private insert(keyGroupIndex: number, mapKey: StateMapKey, value: unknown): void {
    const group = this.liveGroup(keyGroupIndex);
    const entry = new StateEntry(mapKey, value, keyGroupIndex, group.length);
    group.push(entry);
    this.index.add(mapKey, entry);
    this.cachedKey = mapKey;
    this.cachedEntry = entry;
    this.onKeysChanged(keyGroupIndex);
  }

  /**
   * The live entry of `entry`'s key, safe to change: releases its group from
   * pending snapshots first when pinned (a copy replaces the group's entries, slot by slot).
   */
  private writable(entry: StateEntry): StateEntry {
    const keyGroupIndex = entry.keyGroupIndex;
    if (this.pins[keyGroupIndex] === 0) return entry;
    this.releaseForWrite(keyGroupIndex);
    return this.groups[keyGroupIndex]![entry.slot]!;
  }

  /** The live entries of a group, created, or released from pending snapshots, as needed. */
  private liveGroup(keyGroupIndex: number): KeyGroupEntries {
    const group = this.groups[keyGroupIndex];
    if (group === undefined) {
      const created: KeyGroupEntries = [];
      this.groups[keyGroupIndex] = created;
      return created;
    }
    if (this.pins[keyGroupIndex] !== 0) this.releaseForWrite(keyGroupIndex);
    return this.groups[keyGroupIndex]!;
  }

  /**
   * Makes a pinned group writable: encodes it for the captures waiting for it
   * (serialize-on-write), or copies it when that is too costly or not possible.
   */
  private releaseForWrite(keyGroupIndex: number): void {
    const group = this.groups[keyGroupIndex]!;
    if (this.streams[keyGroupIndex] === 0 && this.encodingLooksCheap(group.length) && this.encodeLive(keyGroupIndex, SERIALIZE_ON_WRITE_BOUND, false)) {
      return;
    }
    this.copyForWrite(keyGroupIndex);
  }

  /**
   * Encodes the pinned live entries of a group and hands the section to every
   * capture waiting for it, which unpins the group. False when the encoding passed
   * `bound`, or failed and `throwOnFailure` is false (a record's write then copies
   * the group and the snapshot's writer reports the value it cannot encode).
   */
  private encodeLive(keyGroupIndex: number, bound: SectionEncodingBound, throwOnFailure: boolean): boolean {
    const group = this.groups[keyGroupIndex]!;
    let section: EncodedSection | undefined;
    const keys = this.keyCaches[keyGroupIndex];
    try {
      section = this.encoder.encode(this.kind, group, bound, keys);
    } catch (error) {
      if (throwOnFailure) throw error;
      return false;
    }
    this.bytesPerEntry = this.encoder.lastBytesPerEntry;
    if (section === undefined) return false;
    for (const capture of this.captures) {
      if (capture.pending[keyGroupIndex] !== group) continue;
      capture.pending[keyGroupIndex] = undefined;
      capture.sections[keyGroupIndex] = section;
    }
    this.pins[keyGroupIndex] = 0;
    this.encodes++;
    if (keys !== undefined && section.keys === keys.bytes) this.encodesWithKeys++;
    else if (group.length <= MAX_ENCODED_KEYS_ENTRIES) this.keyCaches[keyGroupIndex] = new EncodedKeys(group, section.keys);
    return true;
  }

  /** A key was inserted into or deleted from the group, or its entries were replaced. */
  private onKeysChanged(keyGroupIndex: number): void {
    this.keyCaches[keyGroupIndex] = undefined;
  }

  /** False when the last section of this state predicts an encoding beyond {@link SERIALIZE_ON_WRITE_BOUND}. */
  private encodingLooksCheap(entries: number): boolean {
    const perEntry = this.bytesPerEntry;
    return perEntry < SERIALIZE_ON_WRITE_BOUND.smallEntryBytes || entries * perEntry <= SERIALIZE_ON_WRITE_BOUND.maxBytes;
  }

  /**
   * Gives the live state new entries for the group, slot by slot, holding deep
   * copies of the values; the captures keep the original entries, which nothing
   * changes any more.
   */
  private copyForWrite(keyGroupIndex: number): void {
    const shared = this.groups[keyGroupIndex]!;
    const copy: KeyGroupEntries = new Array<StateEntry>(shared.length);
    for (let slot = 0; slot < shared.length; slot++) {
      const original = shared[slot]!;
      const entry = new StateEntry(original.key, clonePlainData(original.value), keyGroupIndex, slot);
      copy[slot] = entry;
      this.index.replace(original.key, entry);
    }
    this.groups[keyGroupIndex] = copy;
    this.pins[keyGroupIndex] = 0;
    this.streams[keyGroupIndex] = 0;
    this.cachedKey = NO_KEY;
    this.onKeysChanged(keyGroupIndex);
    this.copies++;
  }
}
