/** Flink's `ProcessFunction`: per-record access to timestamps, time and side outputs. */
import type { Collector } from './collector.js';
import type { OutputTag } from './output-tag.js';
import type { TimerService } from './timer-service.js';
import { AbstractRichFunction } from './rich-function.js';

/** What `processElement` sees besides the record (implemented by the runtime). */
export interface ProcessFunctionContext {
  /** The record's event timestamp, or undefined when it has none. */
  timestamp(): number | undefined;
  /** Time queries; registering timers throws on non-keyed streams. */
  timerService(): TimerService;
  /** Emits to a side output, read with `getSideOutput(tag)`. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** The callable shape of a process function: the abstract class below, an object literal or a normalised lambda. */
export interface ProcessFunctionLike<IN, OUT> {
  processElement(value: IN, ctx: ProcessFunctionContext, out: Collector<OUT>): void;
}

export type ProcessLambda<IN, OUT> = (value: IN, ctx: ProcessFunctionContext, out: Collector<OUT>) => void;

export abstract class ProcessFunction<IN, OUT> extends AbstractRichFunction implements ProcessFunctionLike<IN, OUT> {
  abstract processElement(value: IN, ctx: ProcessFunctionContext, out: Collector<OUT>): void;
}
