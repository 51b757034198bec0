import type {
  AggregatingState, AggregatingStateDescriptor, KeyedStateStore, ListState, ListStateDescriptor, MapState,
  MapStateDescriptor, ReducingState, ReducingStateDescriptor, State, StateDescriptor, StateKind, ValueState,
  ValueStateDescriptor, Key,
} from '@tsflink/api';
import { HeapAggregatingState } from './heap-aggregating-state.js';
import { HeapListState } from './heap-list-state.js';
import { HeapMapState } from './heap-map-state.js';
import { HeapReducingState } from './heap-reducing-state.js';
import { HeapValueState } from './heap-value-state.js';
import { KeyContext } from './key-context.js';
import type { StateMapKey } from './key-context.js';
import { checkParallelismPreconditions } from './key-group-assignment.js';
import { KeyGroupRange } from './key-group-range.js';
import type { KeyGroupRangeLike } from './key-group-range.js';
import { keyToMapKey, mapKeyToKey } from './key-hash.js';
import type { KeyedStateMetaInfo } from './keyed-state-format.js';
import { DEFAULT_RESTORE_READ_BYTES, restoreKeyedStateSource } from './keyed-state-restore.js';
import type { KeyedStateRestoreStats, KeyedStateSource } from './keyed-state-restore.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import { HeapKeyedStateSnapshot } from './keyed-state-snapshot.js';
import { KeyedStateTable } from './keyed-state-table.js';
import { StateKindMismatchError } from './state-errors.js';

/** Configuration of a {@link HeapKeyedStateBackend}. */
export interface HeapKeyedStateBackendOptions {
  /** The key groups of this operator subtask (see `computeKeyGroupRangeForOperatorIndex`). */
  readonly keyGroupRange: KeyGroupRangeLike;
  /** The operator's max parallelism: the total number of key groups. */
  readonly maxParallelism: number;
}

/**
 * States with fewer keys are not prefetched: their entries stay in the CPU caches
 * anyway (100 K keys of a running count take ≈ 10 MB of scattered memory; 4 K ≈ 0.4 MB).
 */
export const PREFETCH_MIN_KEYS = 4096;

interface RegisteredState {
  readonly table: KeyedStateTable;
  /** The user-facing state object, created on the first request by descriptor. */
  state: State | undefined;
}

/**
 * Keyed state of one operator subtask, held on the JS heap: for each state a
 * table of entries found by key and listed by key group (see `KeyedStateTable`).
 *
 * Per record the operator calls {@link setCurrentKey}; the state objects then read
 * and write the current key's entry with one lookup. The key's group is computed
 * (and checked against this backend's range) only when a state inserts a key it
 * has not seen before, or when someone asks for it. States are
 * created from descriptors by name; asking again with the same name returns the
 * same state object.
 *
 * {@link snapshot} is O(key groups) and copies nothing; the returned snapshot
 * writes asynchronously while processing continues (a record's first write to a
 * key group the snapshot still needs encodes that group for it first, see
 * `KeyedStateTable`). {@link restoreKeyGroups} reads back the key groups of
 * this range from snapshots taken at any parallelism with the same max parallelism.
 *
 * As with Flink's heap backend, state holds the objects it is given: an object
 * passed to `update`/`add`/`put` must not be mutated later except through what the
 * state returns when read again (a read that hands out an object first finishes
 * what a pending snapshot needs of its key group). Values must be plain data the
 * value codec can write.
 */
export class HeapKeyedStateBackend implements KeyedStateStore {
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  private readonly context: KeyContext;
  private readonly states = new Map<string, RegisteredState>();
  /** Encodes key groups ahead of pending snapshots, for all tables (see `KeyedStateTable`). */
  private readonly sectionEncoder = new KeyedStateSectionEncoder();
  /** The tables, in registration order (a list, for the per-batch {@link prefetch}). */
  private readonly tables: KeyedStateTable[] = [];
  /** The map keys of the batch being prefetched, reused from batch to batch (never shrunk: it would grow again per batch). */
  private readonly prefetchKeys: StateMapKey[] = [];
  private restored = false;

  constructor(options: HeapKeyedStateBackendOptions) {
    checkParallelismPreconditions(options.maxParallelism);
    this.maxParallelism = options.maxParallelism;
    this.keyGroupRange = KeyGroupRange.of(options.keyGroupRange);
    if (this.keyGroupRange.isEmpty || this.keyGroupRange.end >= options.maxParallelism) {
      throw new RangeError(`Key-group range ${this.keyGroupRange} does not fit max parallelism ${options.maxParallelism}`);
    }
    this.context = new KeyContext(this.maxParallelism, this.keyGroupRange);
  }

  /**
   * Makes `key` the current key. Its key group is computed when first needed; a
   * key that does not belong to this backend's range (a routing bug) throws
   * `KeyGroupOutOfRangeError` then — at the latest when a state stores a value for it.
   */
  setCurrentKey(key: Key): void {
    this.context.set(key);
  }

  /**
   * {@link setCurrentKey} for a caller that already knows the key's group (the
   * partitioner computed it to route the record): saves hashing the key again.
   * `keyGroup` must be `assignToKeyGroup(key, maxParallelism)`; state would be
   * filed under the wrong group otherwise.
   */
  setCurrentKeyAndGroup(key: Key, keyGroup: number): void {
    this.context.set(key, keyGroup);
  }

  /**
   * Looks up the state of a batch of records' keys before the records are
   * processed one by one; changes nothing. With many keys the state is not in the
   * CPU caches, and looked up record by record, with operator code in between,
   * each record waits for several memory loads in a row (the key string, the
   * index's bucket and entry, the state entry): that was most of a keyed running
   * count's time per record. In a tight loop over the batch the loads of
   * different records overlap; the records then find their state in the caches
   * (bench/task-path.bench.ts: ≈ 400 → 300 ns per record for 100 K keys).
   * Only states of at least {@link PREFETCH_MIN_KEYS} keys are looked up.
   * `keyOf` — the stream's key selector, which must be deterministic — runs once more per record.
   */
  prefetch(values: readonly unknown[], keyOf: (value: unknown) => Key): void {
    const keys = this.prefetchKeys;
    const count = values.length;
    let keysComputed = false;
    for (const table of this.tables) {
      if (table.size() < PREFETCH_MIN_KEYS) continue;
      if (!keysComputed) {
        for (let i = 0; i < count; i++) keys[i] = keyToMapKey(keyOf(values[i]));
        keysComputed = true;
      }
      table.prefetch(keys, count);
    }
  }

  /** The current key, or undefined before the first {@link setCurrentKey}. */
  getCurrentKey(): Key | undefined {
    return this.context.key;
  }

  /** The current key's key group (computed on first request), or -1 before the first {@link setCurrentKey}. */
  getCurrentKeyGroup(): number {
    return this.context.mapKey === undefined ? -1 : this.context.currentKeyGroup();
  }

  /** True once state was restored into this backend. */
  isRestored(): boolean {
    return this.restored;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.getOrCreate(descriptor, 'value', (table) => new HeapValueState(table, this.context, descriptor));
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate(descriptor, 'list', (table) => new HeapListState<T>(table, this.context));
  }

  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    return this.getOrCreate(descriptor, 'map', (table) => new HeapMapState<K, V>(table, this.context));
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.getOrCreate(descriptor, 'reducing', (table) => new HeapReducingState(table, this.context, descriptor));
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.getOrCreate(descriptor, 'aggregating', (table) => new HeapAggregatingState(table, this.context, descriptor));
  }

  /** Name and kind of every registered state (requested or restored), in registration order. */
  getStateMetaInfo(): KeyedStateMetaInfo[] {
    return [...this.states.values()].map(({ table }) => ({ name: table.name, kind: table.kind }));
  }

  /** The keys that hold a value in the named state (none for an unknown name), key group by key group. */
  *getKeys(stateName: string): IterableIterator<Key> {
    const registered = this.states.get(stateName);
    if (registered === undefined) return;
    for (const mapKey of registered.table.mapKeys()) yield mapKeyToKey(mapKey);
  }

  /**
   * With a name: the number of keys holding a value in that state. Without: the
   * number of key/state entries over all states (Flink's `numKeyValueStateEntries`).
   */
  numKeys(stateName?: string): number {
    if (stateName !== undefined) return this.states.get(stateName)?.table.size() ?? 0;
    let n = 0;
    for (const { table } of this.states.values()) n += table.size();
    return n;
  }

  /**
   * Captures all states for checkpoint `checkpointId` in O(states × key groups),
   * without copying or encoding entries. Write the result with
   * `snapshot.write(sink)` (or release it); until then, the first write to a
   * captured key group encodes that group for the snapshot first.
   */
  snapshot(checkpointId: number): HeapKeyedStateSnapshot {
    const captured = [...this.states.values()].map(({ table }) => ({
      meta: { name: table.name, kind: table.kind }, table, capture: table.capture(),
    }));
    return new HeapKeyedStateSnapshot(checkpointId, this.maxParallelism, this.keyGroupRange, captured);
  }

  /**
   * Restores, from each source, the key groups that belong to this backend's range
   * (sources may come from a different parallelism; the max parallelism must be the
   * same). Restore before processing the first record.
   */
  async restoreKeyGroups(
    sources: Iterable<KeyedStateSource>,
    readBytes = DEFAULT_RESTORE_READ_BYTES,
  ): Promise<KeyedStateRestoreStats> {
    const total: KeyedStateRestoreStats = { keyGroups: 0, entries: 0, bytesRead: 0 };
    const target = {
      keyGroupRange: this.keyGroupRange,
      maxParallelism: this.maxParallelism,
      restoredTable: (meta: KeyedStateMetaInfo) => this.tableFor(meta.name, meta.kind),
    };
    for (const source of sources) {
      const stats = await restoreKeyedStateSource(source, target, readBytes);
      total.keyGroups += stats.keyGroups;
      total.entries += stats.entries;
      total.bytesRead += stats.bytesRead;
    }
    this.restored = true;
    return total;
  }

  /** The table behind a state, for tests and metrics (copy and encode counts). */
  getTable(stateName: string): KeyedStateTable | undefined {
    return this.states.get(stateName)?.table;
  }

  private getOrCreate<S extends State>(descriptor: StateDescriptor<unknown>, kind: StateKind, create: (table: KeyedStateTable) => S): S {
    if (descriptor.kind !== kind) throw new StateKindMismatchError(descriptor.name, descriptor.kind, kind);
    this.tableFor(descriptor.name, kind);
    const registered = this.states.get(descriptor.name)!;
    registered.state ??= create(registered.table);
    return registered.state as S;
  }

  private tableFor(name: string, kind: StateKind): KeyedStateTable {
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.table.kind !== kind) throw new StateKindMismatchError(name, existing.table.kind, kind);
      return existing.table;
    }
    const table = new KeyedStateTable(name, kind, this.keyGroupRange.size, this.sectionEncoder);
    this.states.set(name, { table, state: undefined });
    this.tables.push(table);
    return table;
  }
}
