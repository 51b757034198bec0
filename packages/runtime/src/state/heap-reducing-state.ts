import type { ReducingState, ReducingStateDescriptor } from '@tsflink/api';
import type { KeyContext } from './key-context.js';
import type { KeyedStateTable } from './keyed-state-table.js';

/**
 * `ReducingState` on the heap: keeps `reduce(previous, added)` per key. Adding
 * null or undefined leaves the state unchanged, as in Flink.
 */
export class HeapReducingState<T> implements ReducingState<T> {
  private readonly reduce: (a: T, b: T) => T;

  constructor(private readonly table: KeyedStateTable, private readonly context: KeyContext, descriptor: ReducingStateDescriptor<T>) {
    const fn = descriptor.reduceFunction;
    this.reduce = typeof fn === 'function' ? fn : (a, b) => fn.reduce(a, b);
  }

  get(): T | undefined {
    return this.table.read(this.context) as T | undefined;
  }

  add(value: T): void {
    this.context.checkKeySet();
    if (value === null || value === undefined) return;
    const current = this.table.read(this.context) as T | undefined;
    this.table.set(this.context, current === undefined ? value : this.reduce(current, value));
  }

  clear(): void {
    this.table.delete(this.context);
  }
}
