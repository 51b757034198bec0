/**
 * Every API call that takes a user function accepts either a plain lambda or
 * an object (class instance or literal) with the function's method. These
 * helpers turn both into the object shape, so that an OperatorSpec always holds
 * an object and the runtime calls `spec.userFunction.map(value)` and friends
 * without caring how the user wrote it. Objects are kept as they are (same
 * instance), so their lifecycle methods and state fields stay reachable.
 */
import type { Key } from '../keys/key.js';
import type { AggregateFunction, ReduceFunction } from './functions.js';
import type {
  FilterFunction, FilterLambda, FlatMapFunction, FlatMapLambda, KeySelector, KeySelectorLambda,
  MapFunction, MapLambda,
} from './basic-functions.js';
import type { ProcessFunctionLike, ProcessLambda } from './process-function.js';
import type { KeyedProcessFunctionLike, KeyedProcessLambda } from './keyed-process-function.js';
import type { SinkFunction, SinkLambda } from './sink-function.js';
import type { SourceFunction } from './source-function.js';

export type ReduceLambda<T> = (a: T, b: T) => T;

export function toMapFunction<IN, OUT>(fn: MapFunction<IN, OUT> | MapLambda<IN, OUT>, call = 'map()'): MapFunction<IN, OUT> {
  return normalize(fn, 'map', call, 'a MapFunction');
}

export function toFlatMapFunction<IN, OUT>(
  fn: FlatMapFunction<IN, OUT> | FlatMapLambda<IN, OUT>, call = 'flatMap()',
): FlatMapFunction<IN, OUT> {
  return normalize(fn, 'flatMap', call, 'a FlatMapFunction');
}

export function toFilterFunction<T>(fn: FilterFunction<T> | FilterLambda<T>, call = 'filter()'): FilterFunction<T> {
  return normalize(fn, 'filter', call, 'a FilterFunction');
}

export function toKeySelector<T, K extends Key>(
  fn: KeySelector<T, K> | KeySelectorLambda<T, K>, call = 'keyBy()',
): KeySelector<T, K> {
  return normalize(fn, 'getKey', call, 'a KeySelector');
}

export function toReduceFunction<T>(fn: ReduceFunction<T> | ReduceLambda<T>, call = 'reduce()'): ReduceFunction<T> {
  return normalize(fn, 'reduce', call, 'a ReduceFunction');
}

export function toProcessFunction<IN, OUT>(
  fn: ProcessFunctionLike<IN, OUT> | ProcessLambda<IN, OUT>, call = 'process()',
): ProcessFunctionLike<IN, OUT> {
  return normalize(fn, 'processElement', call, 'a ProcessFunction');
}

export function toKeyedProcessFunction<K extends Key, IN, OUT>(
  fn: KeyedProcessFunctionLike<K, IN, OUT> | KeyedProcessLambda<K, IN, OUT>, call = 'process()',
): KeyedProcessFunctionLike<K, IN, OUT> {
  return normalize(fn, 'processElement', call, 'a KeyedProcessFunction');
}

export function toSinkFunction<T>(fn: SinkFunction<T> | SinkLambda<T>, call = 'addSink()'): SinkFunction<T> {
  return normalize(fn, 'invoke', call, 'a SinkFunction');
}

/** Aggregate functions have four methods, so only objects qualify. */
export function checkAggregateFunction<IN, ACC, OUT>(
  fn: AggregateFunction<IN, ACC, OUT>, call = 'aggregate()',
): AggregateFunction<IN, ACC, OUT> {
  for (const method of ['createAccumulator', 'add', 'getResult', 'merge'] as const) {
    if (fn === null || typeof fn !== 'object' || typeof fn[method] !== 'function') {
      throw new TypeError(`${call} expects an AggregateFunction: an object with createAccumulator(), add(), getResult() and merge() methods, got ${describe(fn)}.`);
    }
  }
  return fn;
}

/** Sources need `run` and `cancel`, so only objects qualify (a lambda could not be cancelled). */
export function checkSourceFunction<T>(fn: SourceFunction<T>, call = 'addSource()'): SourceFunction<T> {
  if (fn === null || typeof fn !== 'object' || typeof fn.run !== 'function' || typeof fn.cancel !== 'function') {
    throw new TypeError(`${call} expects a SourceFunction: an object with run(ctx) and cancel() methods, got ${describe(fn)}.`);
  }
  return fn;
}

/**
 * Wraps a lambda as `{ [method]: lambda }` or checks that an object has the method.
 * @throws TypeError for classes passed without `new`, and for anything else.
 */
export function normalize<F extends object>(fn: unknown, method: string, call: string, expected: string): F {
  if (typeof fn === 'function') {
    if (isClass(fn)) {
      throw new TypeError(`${call} got the class ${fn.name || '(anonymous)'} itself; pass an instance: new ${fn.name || 'MyFunction'}(...).`);
    }
    return { [method]: fn } as F;
  }
  if (fn !== null && typeof fn === 'object' && typeof (fn as Record<string, unknown>)[method] === 'function') return fn as F;
  throw new TypeError(`${call} expects ${expected}: a function, or an object with a ${method}() method, got ${describe(fn)}.`);
}

function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return typeof value;
}
