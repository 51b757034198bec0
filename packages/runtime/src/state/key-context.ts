import type { Key } from '@tsflink/api';
import { assignToKeyGroup } from './key-group-assignment.js';
import type { KeyGroupRange } from './key-group-range.js';
import { keyToMapKey } from './key-hash.js';
import { KeyGroupOutOfRangeError, NoCurrentKeyError } from './state-errors.js';

/** A key as stored in a state's key index and sections (see `keyToMapKey`). */
export type StateMapKey = string | number | boolean;

/** What a `KeyedStateTable` needs to know of the key it is asked about. */
export interface StateKeyRef {
  /** The key in canonical map-key form; undefined when no key is set. */
  readonly mapKey: StateMapKey | undefined;
  /** The key's group relative to the backend's range start (computed when first asked). */
  keyGroupIndex(): number;
}

/**
 * The key of the record being processed, shared by a keyed backend and all its
 * states. The backend sets it once per record. Its key group is computed only
 * when asked — a state inserting a key it has not seen, timers — or given by a
 * caller that knows it (the partitioner computed it to route the record): reads
 * and writes of existing keys never hash the key.
 */
export class KeyContext implements StateKeyRef {
  /** The current key as the user gave it; undefined before the first record. */
  key: Key | undefined = undefined;
  /** The current key in canonical map-key form; undefined before the first record. */
  mapKey: StateMapKey | undefined = undefined;
  /** The current key group (absolute id), or -1 while not computed. */
  private keyGroup = -1;

  constructor(private readonly maxParallelism: number, private readonly range: KeyGroupRange) {}

  /**
   * Makes `key` current. `keyGroup`, when given, must be `assignToKeyGroup(key,
   * maxParallelism)`; it is checked against the range (a record routed to the
   * wrong subtask throws {@link KeyGroupOutOfRangeError}).
   */
  set(key: Key, keyGroup = -1): void {
    if (keyGroup >= 0 && (keyGroup < this.range.start || keyGroup > this.range.end)) {
      throw new KeyGroupOutOfRangeError(keyGroup, this.range, key);
    }
    this.key = key;
    this.mapKey = keyToMapKey(key);
    this.keyGroup = keyGroup;
  }

  /** Throws {@link NoCurrentKeyError} when no key is set (state used outside a keyed context). */
  checkKeySet(): void {
    if (this.mapKey === undefined) throw new NoCurrentKeyError();
  }

  /** The current key's group (absolute id), computed on first use; throws {@link NoCurrentKeyError} when no key is set. */
  currentKeyGroup(): number {
    if (this.keyGroup >= 0) return this.keyGroup;
    if (this.mapKey === undefined) throw new NoCurrentKeyError();
    const keyGroup = assignToKeyGroup(this.key, this.maxParallelism);
    if (keyGroup < this.range.start || keyGroup > this.range.end) throw new KeyGroupOutOfRangeError(keyGroup, this.range, this.key);
    this.keyGroup = keyGroup;
    return keyGroup;
  }

  keyGroupIndex(): number {
    return this.currentKeyGroup() - this.range.start;
  }
}
