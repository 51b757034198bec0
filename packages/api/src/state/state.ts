/**
 * Keyed and operator state as a user function sees it (Flink's `State` family).
 * Keyed state is always scoped to the key of the record being processed.
 */
export interface State {
  /** Removes the value for the current key. */
  clear(): void;
}

export interface ValueState<T> extends State {
  /** The value for the current key, or the descriptor's default when unset. */
  value(): T;
  update(value: T): void;
}

export interface ListState<T> extends State {
  get(): Iterable<T>;
  add(value: T): void;
  addAll(values: T[]): void;
  /** Replaces the whole list. */
  update(values: T[]): void;
}

export interface MapState<K, V> extends State {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<[K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): Iterable<[K, V]>;
  keys(): Iterable<K>;
  values(): Iterable<V>;
  isEmpty(): boolean;
}

export interface ReducingState<T> extends State {
  get(): T | undefined;
  add(value: T): void;
}

export interface AggregatingState<IN, OUT> extends State {
  get(): OUT | undefined;
  add(value: IN): void;
}
