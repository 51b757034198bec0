import { MIN_WATERMARK } from '@tsflink/api';

/** Where a {@link WatermarkValve} sends the task's combined watermark and status. */
export interface WatermarkValveOutput {
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
}

/**
 * Combines the watermarks and watermark statuses of a task's input channels
 * (Flink's StatusWatermarkValve).
 *
 * The task's watermark is the minimum over the channels that are *aligned*:
 * active (not idle, not finished) and not behind the watermark already emitted.
 * An idle channel stops holding time back; when it turns active again it rejoins
 * only once its watermark has caught up. When every open channel is idle, the
 * valve emits the largest watermark seen on any of them and then the idle
 * status, so downstream stops waiting for this task too; the first channel to
 * turn active makes the task active again. Watermarks only ever advance.
 */
export class WatermarkValve {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private readonly finished: boolean[];
  private readonly aligned: boolean[];
  private lastWatermark = MIN_WATERMARK;
  private outputIdle = false;

  constructor(numberOfChannels: number, private readonly output: WatermarkValveOutput) {
    this.watermarks = new Array<number>(numberOfChannels).fill(MIN_WATERMARK);
    this.idle = new Array<boolean>(numberOfChannels).fill(false);
    this.finished = new Array<boolean>(numberOfChannels).fill(false);
    this.aligned = new Array<boolean>(numberOfChannels).fill(true);
  }

  /** A watermark arrived on a channel (ignored while the channel is idle, as in Flink). */
  inputWatermark(channel: number, watermark: number): void {
    if (this.idle[channel] || this.finished[channel] || watermark <= this.watermarks[channel]!) return;
    this.watermarks[channel] = watermark;
    if (!this.aligned[channel] && watermark >= this.lastWatermark) this.aligned[channel] = true;
    this.advanceToMinOfAligned();
  }

  /** A channel reported its watermark status. */
  inputWatermarkStatus(channel: number, idle: boolean): void {
    if (this.finished[channel] || this.idle[channel] === idle) return;
    this.idle[channel] = idle;
    if (idle) {
      this.aligned[channel] = false;
      if (this.allOpenChannelsIdle()) this.becomeIdle();
      else this.advanceToMinOfAligned();
      return;
    }
    this.aligned[channel] = this.watermarks[channel]! >= this.lastWatermark;
    if (this.outputIdle) {
      this.outputIdle = false;
      this.output.emitWatermarkStatus(false);
    }
  }

  /** A channel ended: it no longer holds the minimum back. */
  channelFinished(channel: number): void {
    if (this.finished[channel]) return;
    this.finished[channel] = true;
    this.aligned[channel] = false;
    if (this.hasOpenChannels() && this.allOpenChannelsIdle()) this.becomeIdle();
    else this.advanceToMinOfAligned();
  }

  /** True while the valve has told downstream that this task is idle. */
  get isIdle(): boolean {
    return this.outputIdle;
  }

  private advanceToMinOfAligned(): void {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.aligned[i] && this.watermarks[i]! < min) min = this.watermarks[i]!;
    }
    if (min !== Number.POSITIVE_INFINITY && min > this.lastWatermark) {
      this.lastWatermark = min;
      this.output.emitWatermark(min);
    }
  }

  /** Every open channel is idle: release the largest watermark held, then go idle. */
  private becomeIdle(): void {
    let max = MIN_WATERMARK;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (!this.finished[i] && this.watermarks[i]! > max) max = this.watermarks[i]!;
    }
    if (max > this.lastWatermark) {
      this.lastWatermark = max;
      this.output.emitWatermark(max);
    }
    if (!this.outputIdle) {
      this.outputIdle = true;
      this.output.emitWatermarkStatus(true);
    }
  }

  private hasOpenChannels(): boolean {
    return this.finished.some((f) => !f);
  }

  private allOpenChannelsIdle(): boolean {
    for (let i = 0; i < this.idle.length; i++) if (!this.finished[i] && !this.idle[i]) return false;
    return true;
  }
}
