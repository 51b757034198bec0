import type { StateMapKey } from './key-context.js';

/**
 * One key's value in one keyed state. The table finds it by key through its
 * {@link KeyIndex} (no key-group hash on the record path) and lists it in its key
 * group's {@link KeyGroupEntries} (for snapshots, by key group). A write to an
 * existing key changes `value` in place.
 */
export class StateEntry {
  /**
   * @param key the canonical map key (see `keyToMapKey`)
   * @param value the stored value: a value, a list array, an inner Map for map state, an accumulator
   * @param keyGroupIndex the key's group, relative to the backend's range start
   * @param slot the entry's position in its group's {@link KeyGroupEntries}
   */
  constructor(
    readonly key: StateMapKey,
    public value: unknown,
    readonly keyGroupIndex: number,
    public slot: number,
  ) {}
}

/**
 * The entries of one key group of one state, in insertion order except that a
 * deletion moves the last entry into the freed slot. What a snapshot iterates.
 */
export type KeyGroupEntries = StateEntry[];
