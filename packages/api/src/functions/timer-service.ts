/**
 * Timers and time for process functions (Flink's `TimerService`). Times are
 * epoch milliseconds. Timers are scoped to the current key and deduplicated per
 * (key, timestamp); registering them is only possible on keyed streams. The
 * runtime implements this interface.
 */
export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's current event-time watermark (`MIN_WATERMARK` before the first one). */
  currentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
}

/** Which clock fired a timer. */
export const TimeDomain = {
  EVENT_TIME: 'EVENT_TIME',
  PROCESSING_TIME: 'PROCESSING_TIME',
} as const;
export type TimeDomain = (typeof TimeDomain)[keyof typeof TimeDomain];
