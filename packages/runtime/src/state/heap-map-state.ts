import type { MapState } from '@tsflink/api';
import type { KeyContext } from './key-context.js';
import { keyToMapKey, mapKeyToKey } from './key-hash.js';
import type { InnerMap } from './keyed-state-section.js';
import type { KeyedStateTable } from './keyed-state-table.js';

/**
 * `MapState` on the heap: per key an inner `Map` from the canonical user key (see
 * `keyToMapKey`; user keys follow the same rules as stream keys) to the value. A
 * key whose inner map becomes empty is removed.
 */
export class HeapMapState<K, V> implements MapState<K, V> {
  constructor(private readonly table: KeyedStateTable, private readonly context: KeyContext) {}

  get(key: K): V | undefined {
    const userKey = keyToMapKey(key);
    const inner = this.table.peek(this.context) as InnerMap | undefined;
    if (inner === undefined) return undefined;
    const value = inner.get(userKey);
    if (value === null || typeof value !== 'object') return value as V | undefined;
    // An object goes to user code: release the key group from pending snapshots first.
    return (this.table.read(this.context) as InnerMap).get(userKey) as V;
  }

  put(key: K, value: V): void {
    const userKey = keyToMapKey(key);
    this.writableInner().set(userKey, value);
  }

  putAll(entries: Iterable<[K, V]>): void {
    const list = Array.from(entries, ([k, v]) => [keyToMapKey(k), v] as const);
    if (list.length === 0) return;
    const inner = this.writableInner();
    for (const [k, v] of list) inner.set(k, v);
  }

  remove(key: K): void {
    const userKey = keyToMapKey(key);
    const inner = this.table.peek(this.context) as InnerMap | undefined;
    if (inner === undefined || !inner.has(userKey)) return;
    const writable = this.table.readForUpdate(this.context) as InnerMap;
    writable.delete(userKey);
    if (writable.size === 0) this.table.delete(this.context);
  }

  contains(key: K): boolean {
    const inner = this.table.peek(this.context) as InnerMap | undefined;
    return inner !== undefined && inner.has(keyToMapKey(key));
  }

  *entries(): IterableIterator<[K, V]> {
    const inner = this.table.read(this.context) as InnerMap | undefined;
    if (inner === undefined) return;
    for (const [k, v] of inner) yield [mapKeyToKey(k) as K, v as V];
  }

  *keys(): IterableIterator<K> {
    const inner = this.table.peek(this.context) as InnerMap | undefined;
    if (inner === undefined) return;
    for (const k of inner.keys()) yield mapKeyToKey(k) as K;
  }

  *values(): IterableIterator<V> {
    const inner = this.table.read(this.context) as InnerMap | undefined;
    if (inner === undefined) return;
    yield* inner.values() as IterableIterator<V>;
  }

  isEmpty(): boolean {
    const inner = this.table.peek(this.context) as InnerMap | undefined;
    return inner === undefined || inner.size === 0;
  }

  clear(): void {
    this.table.delete(this.context);
  }

  private writableInner(): InnerMap {
    let inner = this.table.readForUpdate(this.context) as InnerMap | undefined;
    if (inner === undefined) {
      inner = new Map();
      this.table.set(this.context, inner);
    }
    return inner;
  }
}
