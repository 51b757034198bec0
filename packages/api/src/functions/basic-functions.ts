/**
 * The per-record transformation functions. Each API call accepts the function
 * object or a plain lambda; the API normalises lambdas into the object shape
 * (see function-normalization.ts), so the runtime only ever calls the methods.
 */
import type { Key } from '../keys/key.js';
import type { Collector } from './collector.js';

/** One output per input (Flink's `MapFunction`). */
export interface MapFunction<IN, OUT> {
  map(value: IN): OUT;
}

/** Zero or more outputs per input (Flink's `FlatMapFunction`). */
export interface FlatMapFunction<IN, OUT> {
  flatMap(value: IN, out: Collector<OUT>): void;
}

/** Keeps the records for which `filter` returns true (Flink's `FilterFunction`). */
export interface FilterFunction<T> {
  filter(value: T): boolean;
}

/** Extracts the key of a record for `keyBy` (Flink's `KeySelector`); see {@link Key}. */
export interface KeySelector<T, K extends Key = Key> {
  getKey(value: T): K;
}

export type MapLambda<IN, OUT> = (value: IN) => OUT;
export type FlatMapLambda<IN, OUT> = (value: IN, out: Collector<OUT>) => void;
export type FilterLambda<T> = (value: T) => boolean;
export type KeySelectorLambda<T, K extends Key = Key> = (value: T) => K;
