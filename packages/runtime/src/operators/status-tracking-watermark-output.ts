import { MIN_WATERMARK, type WatermarkOutput } from '@tsflink/api';
import type { Output } from './output.js';

/**
 * The `WatermarkOutput` a watermark generator writes to inside an operator
 * (Flink's WatermarkToDataOutput): passes on only advancing watermarks, sends the
 * idle / active status when it changes, and makes the output active again before
 * a watermark follows an idle period.
 */
export class StatusTrackingWatermarkOutput implements WatermarkOutput {
  private lastEmitted = MIN_WATERMARK;
  private idle = false;

  /** @param output the operator's current output (read at each call: operators get theirs after construction) */
  constructor(private readonly output: () => Output) {}

  get isIdle(): boolean {
    return this.idle;
  }

  emitWatermark(watermark: number): void {
    if (watermark <= this.lastEmitted) return;
    this.markActive();
    this.lastEmitted = watermark;
    this.output().emitWatermark(watermark);
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.output().emitWatermarkStatus(true);
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.output().emitWatermarkStatus(false);
  }
}
