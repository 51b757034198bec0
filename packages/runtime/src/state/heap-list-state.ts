import type { ListState } from '@tsflink/api';
import type { KeyContext } from './key-context.js';
import type { KeyedStateTable } from './keyed-state-table.js';

const EMPTY: readonly never[] = Object.freeze([]);

/** Throws for null and undefined elements, which a ListState does not hold (as in Flink). */
export function checkListElement(value: unknown): void {
  if (value === null || value === undefined) throw new TypeError('You cannot add null to a ListState.');
}

/**
 * `ListState` on the heap: one array per key, appended in place (the key group is
 * released from pending snapshots first). `get()` returns the live list (or an
 * empty one); `update([])` clears.
 */
export class HeapListState<T> implements ListState<T> {
  constructor(private readonly table: KeyedStateTable, private readonly context: KeyContext) {}

  get(): Iterable<T> {
    const list = this.table.read(this.context);
    return (list as T[] | undefined) ?? EMPTY;
  }

  add(value: T): void {
    checkListElement(value);
    const list = this.table.readForUpdate(this.context) as T[] | undefined;
    if (list === undefined) this.table.set(this.context, [value]);
    else list.push(value);
  }

  addAll(values: T[]): void {
    this.context.checkKeySet();
    if (values.length === 0) return;
    for (const value of values) checkListElement(value);
    const list = this.table.readForUpdate(this.context) as T[] | undefined;
    if (list === undefined) this.table.set(this.context, values.slice());
    else for (const value of values) list.push(value);
  }

  update(values: T[]): void {
    this.context.checkKeySet();
    if (values.length === 0) {
      this.table.delete(this.context);
      return;
    }
    for (const value of values) checkListElement(value);
    this.table.set(this.context, values.slice());
  }

  clear(): void {
    this.table.delete(this.context);
  }
}
