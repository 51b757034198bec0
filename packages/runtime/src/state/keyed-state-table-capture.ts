import type { EncodedSection } from './keyed-state-section.js';
import type { StateEntry } from './state-entry.js';

/**
 * What one pending snapshot holds of one `KeyedStateTable`, per key-group index:
 *
 * - a section (the group's entries, already encoded: a record wrote to the group
 *   first, so the table encoded it for every snapshot still waiting for it), or
 * - the entries the snapshot still has to encode: the live ones while nobody wrote
 *   to the group (it is pinned), or the originals of a group the table copied
 *   instead (nothing changes them any more), or
 * - neither: the group was empty, or the snapshot's writer is past it.
 *
 * The table fills in sections; the snapshot's writer takes them, or streams the
 * pending entries, in key-group order. Only the table and the writer touch these arrays.
 */
export class KeyedStateTableCapture {
  /** Key-group index → encoded section, set by the table. */
  readonly sections: (EncodedSection | undefined)[];

  /** @param pending key-group index → the entries this snapshot still has to encode (never an empty list) */
  constructor(readonly pending: (readonly StateEntry[] | undefined)[]) {
    this.sections = new Array<EncodedSection | undefined>(pending.length).fill(undefined);
  }

  /** True while the snapshot has something to write for the group. */
  hasEntries(keyGroupIndex: number): boolean {
    return this.sections[keyGroupIndex] !== undefined || this.pending[keyGroupIndex] !== undefined;
  }

  /** Removes and returns the group's encoded section, if the table encoded one. */
  takeSection(keyGroupIndex: number): EncodedSection | undefined {
    const section = this.sections[keyGroupIndex];
    this.sections[keyGroupIndex] = undefined;
    return section;
  }
}
