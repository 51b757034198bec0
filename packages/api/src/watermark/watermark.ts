/**
 * Event-time watermarks are epoch milliseconds (`number`). A watermark `w`
 * promises that no record with timestamp ≤ `w` follows.
 */

/** The watermark before any was emitted (Flink's `Long.MIN_VALUE`, kept within exact integers). */
export const MIN_WATERMARK = Number.MIN_SAFE_INTEGER;

/** The end-of-time watermark: emitted at end of input (and by `flink stop --drain`), fires all event-time timers. */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;

/** Where a watermark generator emits (implemented by the runtime). */
export interface WatermarkOutput {
  emitWatermark(watermark: number): void;
  /** Downstream stops waiting for this input's watermarks until it is active again. */
  markIdle(): void;
  markActive(): void;
}

/**
 * Decides watermarks from the events it sees (Flink's `WatermarkGenerator`).
 * `onPeriodicEmit` is called every auto-watermark interval (200 ms by default).
 */
export interface WatermarkGenerator<T> {
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Gives a record its event timestamp; `recordTimestamp` is the one it carries already (`MIN_WATERMARK` if none). */
export type TimestampAssignerLambda<T> = (element: T, recordTimestamp: number) => number;

export interface TimestampAssigner<T> {
  extractTimestamp(element: T, recordTimestamp: number): number;
}
