import type { StateKind } from '@tsflink/api';
import type { StateMapKey } from './key-context.js';
import { clonePlainData } from './plain-data-clone.js';

/** The maps of one state, one per key group, as captured by a snapshot (undefined: group empty). */
export type KeyGroupMaps = readonly (Map<StateMapKey, unknown> | undefined)[];

/**
 * The storage of one keyed state: one `Map` per key group (never one giant Map,
 * DESIGN.md 13), from the canonical key to the stored value (a value, a list
 * array, an inner Map for map state, an accumulator).
 *
 * Copy-on-write for snapshots: {@link pin} hands a snapshot the current maps in
 * O(key groups) and counts the pin per key group. While a key group is pinned, the
 * first write to it, or the first read that would hand a mutable object to user
 * code, replaces that group's map with a deep copy (values via `clonePlainData`,
 * so list arrays and inner maps are copied too); the snapshot keeps the original.
 * {@link unpin} releases the pins once the snapshot is written, so later accesses
 * copy nothing.
 */
export class KeyedStateTable {
  /** Key-group index (relative to the backend's range start) → map, created on first write. */
  private readonly maps: (Map<StateMapKey, unknown> | undefined)[];
  /** Key-group index → number of pending snapshots sharing the current map. */
  private readonly pins: Uint32Array;
  private copies = 0;

  constructor(readonly name: string, readonly kind: StateKind, readonly numberOfKeyGroups: number) {
    this.maps = new Array<Map<StateMapKey, unknown> | undefined>(numberOfKeyGroups).fill(undefined);
    this.pins = new Uint32Array(numberOfKeyGroups);
  }

  /** How many key-group maps were copied because a snapshot shared them (for tests and metrics). */
  get keyGroupCopies(): number {
    return this.copies;
  }

  /** The stored value, without copying; callers must not hand a mutable result to user code. */
  peek(keyGroupIndex: number, mapKey: StateMapKey): unknown {
    const map = this.maps[keyGroupIndex];
    return map === undefined ? undefined : map.get(mapKey);
  }

  /** True when a value is stored for the key. */
  has(keyGroupIndex: number, mapKey: StateMapKey): boolean {
    const map = this.maps[keyGroupIndex];
    return map !== undefined && map.has(mapKey);
  }

  /** The stored value, safe to hand to user code that may mutate it (copies a pinned key group first). */
  read(keyGroupIndex: number, mapKey: StateMapKey): unknown {
    const map = this.maps[keyGroupIndex];
    if (map === undefined) return undefined;
    const value = map.get(mapKey);
    if (value !== null && typeof value === 'object' && this.pins[keyGroupIndex] !== 0) {
      return this.unshare(keyGroupIndex).get(mapKey);
    }
    return value;
  }

  /** Stores a value. */
  set(keyGroupIndex: number, mapKey: StateMapKey, value: unknown): void {
    this.writable(keyGroupIndex).set(mapKey, value);
  }

  /** Removes the value of a key, if any. */
  delete(keyGroupIndex: number, mapKey: StateMapKey): void {
    const map = this.maps[keyGroupIndex];
    if (map === undefined || !map.has(mapKey)) return;
    this.writable(keyGroupIndex).delete(mapKey);
  }

  /** The map of a key group, ready to be written (created or copied as needed). */
  writable(keyGroupIndex: number): Map<StateMapKey, unknown> {
    const map = this.maps[keyGroupIndex];
    if (map === undefined) {
      const created = new Map<StateMapKey, unknown>();
      this.maps[keyGroupIndex] = created;
      this.pins[keyGroupIndex] = 0;
      return created;
    }
    return this.pins[keyGroupIndex] !== 0 ? this.unshare(keyGroupIndex) : map;
  }

  /** The current maps of all key groups, pinned for a snapshot: O(key groups), copies nothing. */
  pin(): KeyGroupMaps {
    const refs = this.maps.slice();
    for (let i = 0; i < refs.length; i++) if (refs[i] !== undefined) this.pins[i]!++;
    return refs;
  }

  /** Releases the pins of a snapshot taken with {@link pin}. */
  unpin(refs: KeyGroupMaps): void {
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      if (ref !== undefined && this.maps[i] === ref && this.pins[i]! > 0) this.pins[i]!--;
    }
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

  private unshare(keyGroupIndex: number): Map<StateMapKey, unknown> {
    const shared = this.maps[keyGroupIndex]!;
    const copy = new Map<StateMapKey, unknown>();
    for (const [k, v] of shared) copy.set(k, clonePlainData(v));
    this.maps[keyGroupIndex] = copy;
    this.pins[keyGroupIndex] = 0;
    this.copies++;
    return copy;
  }
}
