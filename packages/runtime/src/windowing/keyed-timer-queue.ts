import { MapStateDescriptor, type MapState } from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type { StateMapKey } from '../state/key-context.js';
import { keyToMapKey, mapKeyToKey } from '../state/key-hash.js';
import type { NamespaceCodec } from './namespace-codec.js';
import { TimerEntry, TimerHeap } from './timer-heap.js';

/**
 * The timers of one time domain of a timer service, kept twice:
 *
 * - in the operator's keyed state, as map state `stateName`: per key, namespace
 *   key → ascending, duplicate-free array of timestamps. This is the truth: it is
 *   checkpointed by key group with all other keyed state (copy-on-write, no extra
 *   snapshot step) and restored at any parallelism;
 * - in memory, as a {@link TimerHeap} over all keys of the subtask plus an index
 *   by (key, namespace, timestamp), rebuilt from the state by {@link restore}.
 *
 * Registering and deleting work on the backend's current key; a timer exists at
 * most once per (key, namespace, timestamp).
 */
export class KeyedTimerQueue<N> {
  private readonly state: MapState<string, number[]>;
  private readonly heap = new TimerHeap<N>();
  private readonly byId = new Map<string, TimerEntry<N>>();
  private nextSeq = 0;

  constructor(
    readonly stateName: string,
    private readonly backend: HeapKeyedStateBackend,
    private readonly codec: NamespaceCodec<N>,
  ) {
    this.state = backend.getMapState(new MapStateDescriptor<string, number[]>(stateName));
  }

  /** Number of timers (over all keys). */
  get size(): number {
    return this.heap.size;
  }

  /** The earliest timer's time, or undefined when there is none. */
  peekTimestamp(): number | undefined {
    return this.heap.peek()?.timestamp;
  }

  /** Registers a timer for the current key; false (and no change) when it exists already. */
  add(namespace: N, timestamp: number): boolean {
    const namespaceKey = this.codec.encode(namespace);
    const timestamps = this.state.get(namespaceKey);
    if (timestamps === undefined) {
      this.state.put(namespaceKey, [timestamp]);
    } else {
      const at = lowerBound(timestamps, timestamp);
      if (timestamps[at] === timestamp) return false;
      timestamps.splice(at, 0, timestamp);
      this.state.put(namespaceKey, timestamps);
    }
    const key = this.backend.getCurrentKey()!;
    const id = timerId(keyToMapKey(key), namespaceKey, timestamp);
    const entry = new TimerEntry(timestamp, key, namespace, namespaceKey, id, this.nextSeq++);
    this.byId.set(id, entry);
    this.heap.add(entry);
    return true;
  }

  /** Deletes a timer of the current key; false when there is no such timer. */
  remove(namespace: N, timestamp: number): boolean {
    const namespaceKey = this.codec.encode(namespace);
    if (!this.removeFromState(namespaceKey, timestamp)) return false;
    const id = timerId(keyToMapKey(this.backend.getCurrentKey()!), namespaceKey, timestamp);
    const entry = this.byId.get(id);
    if (entry === undefined) throw new Error(`Timer ${id} is in keyed state but not in the timer queue ${this.stateName}`);
    this.byId.delete(id);
    this.heap.remove(entry);
    return true;
  }

  /**
   * Removes and returns the earliest timer if it is due at `time` (timestamp ≤
   * `time`), after making its key the backend's current key; undefined otherwise.
   */
  pollDue(time: number): TimerEntry<N> | undefined {
    const head = this.heap.peek();
    if (head === undefined || head.timestamp > time) return undefined;
    this.heap.poll();
    this.byId.delete(head.id);
    this.backend.setCurrentKey(head.key);
    this.removeFromState(head.namespaceKey, head.timestamp);
    return head;
  }

  /**
   * Rebuilds the in-memory queue from the keyed state (call after the backend
   * restored its key groups): every timer of the subtask's key groups, in key
   * group order.
   */
  restore(): void {
    this.byId.clear();
    const entries: TimerEntry<N>[] = [];
    const table = this.backend.getTable(this.stateName);
    if (table !== undefined) {
      for (let index = 0; index < table.numberOfKeyGroups; index++) {
        const stored = table.entriesOf(index);
        if (stored === undefined) continue;
        for (const { key: mapKey, value: inner } of stored) {
          const key = mapKeyToKey(mapKey);
          for (const [storedNamespace, timestamps] of inner as Map<StateMapKey, number[]>) {
            const namespaceKey = String(mapKeyToKey(storedNamespace));
            const namespace = this.codec.decode(namespaceKey);
            for (const timestamp of timestamps) {
              const id = timerId(mapKey, namespaceKey, timestamp);
              const entry = new TimerEntry(timestamp, key, namespace, namespaceKey, id, this.nextSeq++);
              this.byId.set(id, entry);
              entries.push(entry);
            }
          }
        }
      }
    }
    this.heap.rebuild(entries);
  }

  /** Removes a timestamp of the current key's namespace from the state; false when absent. */
  private removeFromState(namespaceKey: string, timestamp: number): boolean {
    const timestamps = this.state.get(namespaceKey);
    if (timestamps === undefined) return false;
    const at = lowerBound(timestamps, timestamp);
    if (timestamps[at] !== timestamp) return false;
    if (timestamps.length === 1) {
      this.state.remove(namespaceKey);
    } else {
      timestamps.splice(at, 1);
      this.state.put(namespaceKey, timestamps);
    }
    return true;
  }
}

/** First index of `sorted` whose value is ≥ `value` (its length when none is). */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A timer's unique id within a queue. Neither the timestamp nor the namespace key
 * contains U+0000, so the key (tagged by type, last) cannot make two ids collide.
 */
function timerId(mapKey: StateMapKey, namespaceKey: string, timestamp: number): string {
  const tag = typeof mapKey === 'string' ? 's' : typeof mapKey === 'number' ? 'n' : 'b';
  return `${timestamp}\u0000${namespaceKey}\u0000${tag}${String(mapKey)}`;
}
