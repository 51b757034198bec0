import type { ValueState, ValueStateDescriptor } from '@tsflink/api';
import type { KeyContext } from './key-context.js';
import type { KeyedStateTable } from './keyed-state-table.js';
import { clonePlainData } from './plain-data-clone.js';

/**
 * `ValueState` on the heap: one value per key. `value()` returns the descriptor's
 * default (a fresh copy when it is an object) while unset; `update(null | undefined)`
 * clears, as in Flink.
 */
export class HeapValueState<T> implements ValueState<T> {
  private readonly defaultValue: T | undefined;

  constructor(private readonly table: KeyedStateTable, private readonly context: KeyContext, descriptor: ValueStateDescriptor<T>) {
    this.defaultValue = descriptor.defaultValue;
  }

  value(): T {
    const value = this.table.read(this.context);
    if (value !== undefined) return value as T;
    return clonePlainData(this.defaultValue) as T;
  }

  update(value: T): void {
    if (value === undefined || value === null) this.table.delete(this.context);
    else this.table.set(this.context, value);
  }

  clear(): void {
    this.table.delete(this.context);
  }
}
