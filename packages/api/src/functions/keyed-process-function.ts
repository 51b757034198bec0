/**
 * Flink's `KeyedProcessFunction`: a process function on a keyed stream, with
 * keyed state and event- and processing-time timers. Timers fire `onTimer`
 * with the key that registered them as the current key.
 */
import type { Key } from '../keys/key.js';
import type { Collector } from './collector.js';
import type { ProcessFunctionContext } from './process-function.js';
import type { TimeDomain } from './timer-service.js';
import { AbstractRichFunction } from './rich-function.js';

export interface KeyedProcessFunctionContext<K extends Key> extends ProcessFunctionContext {
  /** The key of the record (or timer) being processed. */
  getCurrentKey(): K;
}

export interface OnTimerContext<K extends Key> extends KeyedProcessFunctionContext<K> {
  /** Which clock fired the timer. */
  timeDomain(): TimeDomain;
}

/** The callable shape of a keyed process function: the class below, an object literal or a normalised lambda. */
export interface KeyedProcessFunctionLike<K extends Key, IN, OUT> {
  processElement(value: IN, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;
  /** Called when a timer fires; `ctx.timestamp()` is the timer's time. Optional for object literals and lambdas. */
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<OUT>): void;
}

export type KeyedProcessLambda<K extends Key, IN, OUT> =
  (value: IN, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>) => void;

export abstract class KeyedProcessFunction<K extends Key, IN, OUT>
  extends AbstractRichFunction implements KeyedProcessFunctionLike<K, IN, OUT> {
  abstract processElement(value: IN, ctx: KeyedProcessFunctionContext<K>, out: Collector<OUT>): void;

  /** Does nothing unless overridden. */
  onTimer(_timestamp: number, _ctx: OnTimerContext<K>, _out: Collector<OUT>): void {}
}
