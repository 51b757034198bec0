import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';

/** What kind of state a descriptor asks for; also the tag stored in snapshots. */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/** Describes a piece of state by name; the name identifies it within its operator across restores. */
export abstract class StateDescriptor<S = unknown> {
  abstract readonly kind: StateKind;
  /** Phantom field so descriptors of different state types do not mix. */
  declare readonly __state?: S;
  constructor(readonly name: string) {
    if (typeof name !== 'string' || name.length === 0) throw new Error('A state descriptor needs a non-empty name.');
  }
}

export class ValueStateDescriptor<T> extends StateDescriptor<import('./state.js').ValueState<T>> {
  readonly kind = 'value' as const;
  /** @param defaultValue returned by `value()` while no value was set for the key (Flink's deprecated default, kept for convenience). */
  constructor(name: string, readonly defaultValue?: T) { super(name); }
}

export class ListStateDescriptor<T> extends StateDescriptor<import('./state.js').ListState<T>> {
  readonly kind = 'list' as const;
}

export class MapStateDescriptor<K, V> extends StateDescriptor<import('./state.js').MapState<K, V>> {
  readonly kind = 'map' as const;
}

export class ReducingStateDescriptor<T> extends StateDescriptor<import('./state.js').ReducingState<T>> {
  readonly kind = 'reducing' as const;
  constructor(name: string, readonly reduceFunction: ReduceFunction<T> | ((a: T, b: T) => T)) { super(name); }
}

export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<import('./state.js').AggregatingState<IN, OUT>> {
  readonly kind = 'aggregating' as const;
  constructor(name: string, readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>) { super(name); }
}
