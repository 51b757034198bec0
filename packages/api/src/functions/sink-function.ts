/** Legacy sinks (Flink's `SinkFunction`), used with `DataStream.addSink`. */
import { AbstractRichFunction } from './rich-function.js';

/** What `invoke` sees besides the record (implemented by the runtime). */
export interface SinkFunctionContext {
  currentProcessingTime(): number;
  currentWatermark(): number;
  /** The record's event timestamp, or undefined when it has none. */
  timestamp(): number | undefined;
}

export interface SinkFunction<T> {
  /** Writes one record. A returned promise is awaited before the next record (and before a checkpoint barrier passes). */
  invoke(value: T, context: SinkFunctionContext): void | Promise<void>;
}

export type SinkLambda<T> = (value: T, context: SinkFunctionContext) => void | Promise<void>;

export abstract class RichSinkFunction<T> extends AbstractRichFunction implements SinkFunction<T> {
  abstract invoke(value: T, context: SinkFunctionContext): void | Promise<void>;
}
