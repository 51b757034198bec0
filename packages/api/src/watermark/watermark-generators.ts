/** The built-in watermark generators behind `WatermarkStrategy`. */
import { MIN_WATERMARK } from './watermark.js';
import type { WatermarkGenerator, WatermarkOutput } from './watermark.js';

/** Emits no watermarks (processing-time jobs). */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(_event: T, _eventTimestamp: number, _output: WatermarkOutput): void {}
  onPeriodicEmit(_output: WatermarkOutput): void {}
}

/**
 * Periodically emits `maxTimestamp - maxOutOfOrderness - 1` (Flink's
 * `BoundedOutOfOrdernessWatermarks`); with 0 it suits ascending timestamps.
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp: number;

  constructor(private readonly maxOutOfOrdernessMs: number) {
    if (!Number.isFinite(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw new Error(`maxOutOfOrderness must be a non-negative number of milliseconds, got ${maxOutOfOrdernessMs}.`);
    }
    this.maxTimestamp = MIN_WATERMARK + maxOutOfOrdernessMs + 1;
  }

  onEvent(_event: T, eventTimestamp: number, _output: WatermarkOutput): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.maxOutOfOrdernessMs - 1);
  }
}

/**
 * Wraps a generator and marks the input idle when no event arrived for
 * `idleTimeoutMs` of processing time (Flink's `WatermarksWithIdleness`), so one
 * quiet partition does not hold back event time for all.
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  /** Events seen so far; compared at each periodic emit, so no clock is read per event (as Flink's IdlenessTimer). */
  private events = 0;
  private eventsAtLastCheck = 0;
  private lastActivity: number;
  private idle = false;

  constructor(
    private readonly inner: WatermarkGenerator<T>,
    private readonly idleTimeoutMs: number,
    private readonly clock: () => number,
  ) {
    this.lastActivity = clock();
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.inner.onEvent(event, eventTimestamp, output);
    this.events++;
    if (this.idle) {
      this.idle = false;
      output.markActive();
    }
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    const now = this.clock();
    if (this.events !== this.eventsAtLastCheck) {
      this.eventsAtLastCheck = this.events;
      this.lastActivity = now;
    }
    if (this.idle) return;
    if (now - this.lastActivity >= this.idleTimeoutMs) {
      this.idle = true;
      output.markIdle();
      return;
    }
    this.inner.onPeriodicEmit(output);
  }
}
