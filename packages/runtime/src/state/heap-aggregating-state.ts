import type { AggregateFunction, AggregatingState, AggregatingStateDescriptor } from '@tsflink/api';
import type { KeyContext } from './key-context.js';
import type { KeyedStateTable } from './keyed-state-table.js';

/**
 * `AggregatingState` on the heap: keeps the accumulator per key; `get()` returns
 * `getResult(accumulator)`, or undefined while nothing was added. The accumulator
 * may be mutated in place by `add`: the key group is copied first while a snapshot
 * shares it. Adding null or undefined leaves the state unchanged.
 */
export class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(
    private readonly table: KeyedStateTable,
    private readonly context: KeyContext,
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
  ) {
    this.fn = descriptor.aggregateFunction;
  }

  get(): OUT | undefined {
    const accumulator = this.table.read(this.context);
    return accumulator === undefined ? undefined : this.fn.getResult(accumulator as ACC);
  }

  add(value: IN): void {
    this.context.checkKeySet();
    if (value === null || value === undefined) return;
    const stored = this.table.read(this.context) as ACC | undefined;
    const accumulator = stored === undefined ? this.fn.createAccumulator() : stored;
    this.table.set(this.context, this.fn.add(value, accumulator));
  }

  clear(): void {
    this.table.delete(this.context);
  }
}
