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
 * copied first while a snapshot shares it). `get()` returns the live list (or an
 * empty one); `update([])` clears.
 */
export class HeapListState<T> implements ListState<T> {
  constructor(private readonly table: KeyedStateTable, private readonly context: KeyContext) {}

  get(): Iterable<T> {
    const list = this.table.read(this.context.requireKeyGroupIndex(), this.context.mapKey);
    return (list as T[] | undefined) ?? EMPTY;
  }

  add(value: T): void {
    checkListElement(value);
    const map = this.table.writable(this.context.requireKeyGroupIndex());
    const list = map.get(this.context.mapKey) as T[] | undefined;
    if (list === undefined) map.set(this.context.mapKey, [value]);
    else list.push(value);
  }

  addAll(values: T[]): void {
    const keyGroupIndex = this.context.requireKeyGroupIndex();
    if (values.length === 0) return;
    for (const value of values) checkListElement(value);
    const map = this.table.writable(keyGroupIndex);
    const list = map.get(this.context.mapKey) as T[] | undefined;
    if (list === undefined) map.set(this.context.mapKey, values.slice());
    else for (const value of values) list.push(value);
  }

  update(values: T[]): void {
    const keyGroupIndex = this.context.requireKeyGroupIndex();
    if (values.length === 0) {
      this.table.delete(keyGroupIndex, this.context.mapKey);
      return;
    }
    for (const value of values) checkListElement(value);
    this.table.set(keyGroupIndex, this.context.mapKey, values.slice());
  }

  clear(): void {
    this.table.delete(this.context.requireKeyGroupIndex(), this.context.mapKey);
  }
}
