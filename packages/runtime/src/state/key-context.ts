import type { Key } from '@tsflink/api';
import { NoCurrentKeyError } from './state-errors.js';

/** A key as stored in a key group's `Map` (see `keyToMapKey`). */
export type StateMapKey = string | number | boolean;

/**
 * The key of the record being processed, shared by a keyed backend and all its
 * states. The backend sets it once per record; the states read the precomputed
 * key-group index and map key instead of hashing again.
 */
export class KeyContext {
  /** The current key as the user gave it; undefined before the first record. */
  key: Key | undefined = undefined;
  /** The current key in canonical map-key form. */
  mapKey: StateMapKey = '';
  /** The current key group (absolute id). */
  keyGroup = -1;
  /** The current key group's index within the backend's range (`keyGroup - range.start`); -1 while unset. */
  keyGroupIndex = -1;

  /** The key-group index, or throws {@link NoCurrentKeyError} when no key is set. */
  requireKeyGroupIndex(): number {
    const index = this.keyGroupIndex;
    if (index < 0) throw new NoCurrentKeyError();
    return index;
  }
}
