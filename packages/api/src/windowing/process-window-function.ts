/** Flink's `ProcessWindowFunction`: sees all elements (or the pre-aggregate) of a window when it fires. */
import type { Key } from '../keys/key.js';
import type { Collector } from '../functions/collector.js';
import type { KeyedStateStore } from '../functions/functions.js';
import type { OutputTag } from '../functions/output-tag.js';
import { AbstractRichFunction } from '../functions/rich-function.js';
import type { TimeWindow } from './time-window.js';

/** What `process` sees besides the elements (implemented by the runtime). */
export interface ProcessWindowFunctionContext {
  /** The window being evaluated. */
  window(): TimeWindow;
  currentProcessingTime(): number;
  currentWatermark(): number;
  /** State scoped to this key and window; cleared with the window. */
  windowState(): KeyedStateStore;
  /** State scoped to this key across all its windows. */
  globalState(): KeyedStateStore;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** The callable shape: the class below, an object literal, or a normalised lambda. */
export interface ProcessWindowFunctionLike<IN, OUT, KEY extends Key> {
  process(key: KEY, context: ProcessWindowFunctionContext, elements: Iterable<IN>, out: Collector<OUT>): void;
  /** Called when the window is purged; clean up `windowState()` here. */
  clear?(context: ProcessWindowFunctionContext): void;
}

export type ProcessWindowLambda<IN, OUT, KEY extends Key> =
  (key: KEY, context: ProcessWindowFunctionContext, elements: Iterable<IN>, out: Collector<OUT>) => void;

export abstract class ProcessWindowFunction<IN, OUT, KEY extends Key>
  extends AbstractRichFunction implements ProcessWindowFunctionLike<IN, OUT, KEY> {
  abstract process(key: KEY, context: ProcessWindowFunctionContext, elements: Iterable<IN>, out: Collector<OUT>): void;

  /** Does nothing unless overridden. */
  clear(_context: ProcessWindowFunctionContext): void {}
}
