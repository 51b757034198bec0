import type { TimeWindow, WindowAssigner } from '@tsflink/api';

/** What a trigger may use: the clocks and the timers of a window (the window operator's timer service). */
export interface TriggerContext {
  currentWatermark(): number;
  currentProcessingTime(): number;
  registerEventTimeTimer(window: TimeWindow, time: number): void;
  registerProcessingTimeTimer(window: TimeWindow, time: number): void;
  deleteEventTimeTimer(window: TimeWindow, time: number): void;
  deleteProcessingTimeTimer(window: TimeWindow, time: number): void;
}

/**
 * Decides when a window fires (Flink's `Trigger`, without purging: contents are
 * removed by the window operator at the window's cleanup time). Each method
 * returning a boolean answers "fire now?".
 */
export interface WindowTrigger {
  onElement(window: TimeWindow, ctx: TriggerContext): boolean;
  onEventTime(time: number, window: TimeWindow, ctx: TriggerContext): boolean;
  onProcessingTime(time: number, window: TimeWindow, ctx: TriggerContext): boolean;
  /** `window` is the result of a merge: set up its timers (those of the merged windows are cleared). */
  onMerge(window: TimeWindow, ctx: TriggerContext): void;
  /** The window is gone: delete what the trigger registered for it. */
  clear(window: TimeWindow, ctx: TriggerContext): void;
}

/**
 * Flink's `EventTimeTrigger`: fires when the watermark passes `window.maxTimestamp()`,
 * and at once for an element added to a window the watermark already passed
 * (a late element within the allowed lateness).
 */
export const EVENT_TIME_TRIGGER: WindowTrigger = {
  onElement(window, ctx) {
    if (window.maxTimestamp() <= ctx.currentWatermark()) return true;
    ctx.registerEventTimeTimer(window, window.maxTimestamp());
    return false;
  },
  onEventTime: (time, window) => time === window.maxTimestamp(),
  onProcessingTime: () => false,
  onMerge(window, ctx) {
    // Only while the merged window is not due yet: otherwise the timer would fire it a second time.
    if (window.maxTimestamp() > ctx.currentWatermark()) ctx.registerEventTimeTimer(window, window.maxTimestamp());
  },
  clear(window, ctx) {
    ctx.deleteEventTimeTimer(window, window.maxTimestamp());
  },
};

/** Flink's `ProcessingTimeTrigger`: fires when processing time reaches `window.maxTimestamp()`. */
export const PROCESSING_TIME_TRIGGER: WindowTrigger = {
  onElement(window, ctx) {
    ctx.registerProcessingTimeTimer(window, window.maxTimestamp());
    return false;
  },
  onEventTime: () => false,
  onProcessingTime: () => true,
  onMerge(window, ctx) {
    if (window.maxTimestamp() > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(window, window.maxTimestamp());
  },
  clear(window, ctx) {
    ctx.deleteProcessingTimeTimer(window, window.maxTimestamp());
  },
};

/** The trigger an assigner gets when none is given (all of tsflink's assigners). */
export function defaultTrigger(assigner: WindowAssigner): WindowTrigger {
  return assigner.isEventTime() ? EVENT_TIME_TRIGGER : PROCESSING_TIME_TRIGGER;
}
