import {
  MapStateDescriptor,
  type KeyedStateStore, type ListState, type ListStateDescriptor, type MapState, type MapStateDescriptor as MapDescriptor,
  type ValueState, type ValueStateDescriptor,
} from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { checkListElement } from '../state/heap-list-state.js';
import type { StateMapKey } from '../state/key-context.js';
import { keyToMapKey, mapKeyToKey } from '../state/key-hash.js';
import { clonePlainData } from '../state/plain-data-clone.js';
import { StateKindMismatchError } from '../state/state-errors.js';

/** Prefix of the keyed map states behind per-window state: `_window-state/<descriptor name>`. */
export const PER_WINDOW_STATE_PREFIX = '_window-state/';

/**
 * `ProcessWindowFunctionContext.windowState()`: keyed state scoped to the
 * current key *and* the window being evaluated (Flink's per-window state). Each
 * state is a keyed map state, window key → value, so it is checkpointed like all
 * keyed state. The window operator sets {@link windowKey} before it calls the
 * function; state objects read it on every call, so one object per descriptor
 * serves all windows. Like Flink, the runtime does not clear it: the function
 * does so in its `clear(context)`.
 */
export class PerWindowStateStore implements KeyedStateStore {
  /** The window the state objects address (see `TimeWindowCodec`). */
  windowKey = '';
  private readonly states = new Map<string, { readonly kind: string; readonly state: unknown }>();

  constructor(private readonly backend: HeapKeyedStateBackend) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.getOrCreate(descriptor.name, 'value', (map) => new PerWindowValueState<T>(this, map as MapState<string, T>, descriptor.defaultValue));
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate(descriptor.name, 'list', (map) => new PerWindowListState<T>(this, map as MapState<string, T[]>));
  }

  getMapState<K, V>(descriptor: MapDescriptor<K, V>): MapState<K, V> {
    return this.getOrCreate(descriptor.name, 'map', (map) => new PerWindowMapState<K, V>(this, map as MapState<string, Map<StateMapKey, V>>));
  }

  private getOrCreate<S>(name: string, kind: 'value' | 'list' | 'map', create: (map: MapState<string, unknown>) => S): S {
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw new StateKindMismatchError(name, existing.kind, kind);
      return existing.state as S;
    }
    const state = create(this.backend.getMapState(new MapStateDescriptor<string, unknown>(PER_WINDOW_STATE_PREFIX + name)));
    this.states.set(name, { kind, state });
    return state;
  }
}

class PerWindowValueState<T> implements ValueState<T> {
  constructor(private readonly store: PerWindowStateStore, private readonly map: MapState<string, T>, private readonly defaultValue: T | undefined) {}

  value(): T {
    const value = this.map.get(this.store.windowKey);
    return value === undefined ? clonePlainData(this.defaultValue) as T : value;
  }

  update(value: T): void {
    if (value === null || value === undefined) this.map.remove(this.store.windowKey);
    else this.map.put(this.store.windowKey, value);
  }

  clear(): void {
    this.map.remove(this.store.windowKey);
  }
}

class PerWindowListState<T> implements ListState<T> {
  constructor(private readonly store: PerWindowStateStore, private readonly map: MapState<string, T[]>) {}

  get(): Iterable<T> {
    return this.map.get(this.store.windowKey) ?? [];
  }

  add(value: T): void {
    checkListElement(value);
    this.addAll([value]);
  }

  addAll(values: T[]): void {
    if (values.length === 0) return;
    for (const value of values) checkListElement(value);
    const list = this.map.get(this.store.windowKey);
    if (list === undefined) {
      this.map.put(this.store.windowKey, values.slice());
    } else {
      for (const value of values) list.push(value);
      this.map.put(this.store.windowKey, list);
    }
  }

  update(values: T[]): void {
    for (const value of values) checkListElement(value);
    if (values.length === 0) this.map.remove(this.store.windowKey);
    else this.map.put(this.store.windowKey, values.slice());
  }

  clear(): void {
    this.map.remove(this.store.windowKey);
  }
}

/** The user's map is stored with canonical keys (`keyToMapKey`), as `HeapMapState` stores its entries. */
class PerWindowMapState<K, V> implements MapState<K, V> {
  constructor(private readonly store: PerWindowStateStore, private readonly map: MapState<string, Map<StateMapKey, V>>) {}

  get(key: K): V | undefined {
    return this.map.get(this.store.windowKey)?.get(keyToMapKey(key));
  }

  put(key: K, value: V): void {
    this.putAll([[key, value]]);
  }

  putAll(entries: Iterable<[K, V]>): void {
    const list = Array.from(entries, ([k, v]) => [keyToMapKey(k), v] as const);
    if (list.length === 0) return;
    const inner = this.map.get(this.store.windowKey) ?? new Map<StateMapKey, V>();
    for (const [k, v] of list) inner.set(k, v);
    this.map.put(this.store.windowKey, inner);
  }

  remove(key: K): void {
    const inner = this.map.get(this.store.windowKey);
    if (inner === undefined || !inner.delete(keyToMapKey(key))) return;
    if (inner.size === 0) this.map.remove(this.store.windowKey);
    else this.map.put(this.store.windowKey, inner);
  }

  contains(key: K): boolean {
    return this.map.get(this.store.windowKey)?.has(keyToMapKey(key)) ?? false;
  }

  *entries(): IterableIterator<[K, V]> {
    const inner = this.map.get(this.store.windowKey);
    if (inner === undefined) return;
    for (const [k, v] of inner) yield [mapKeyToKey(k) as K, v];
  }

  *keys(): IterableIterator<K> {
    const inner = this.map.get(this.store.windowKey);
    if (inner === undefined) return;
    for (const k of inner.keys()) yield mapKeyToKey(k) as K;
  }

  *values(): IterableIterator<V> {
    const inner = this.map.get(this.store.windowKey);
    if (inner === undefined) return;
    yield* inner.values();
  }

  isEmpty(): boolean {
    const inner = this.map.get(this.store.windowKey);
    return inner === undefined || inner.size === 0;
  }

  clear(): void {
    this.map.remove(this.store.windowKey);
  }
}
