import { MIN_WATERMARK } from '@tsflink/api';

/**
 * Combines the watermarks of a task's input channels (Flink's StatusWatermarkValve):
 * the task's watermark is the minimum over channels that have not finished; it is
 * emitted only when it advances.
 */
export class WatermarkValve {
  private readonly channelWatermarks: number[];
  private readonly finished: boolean[];
  private lastOutput = MIN_WATERMARK;

  constructor(numberOfChannels: number) {
    this.channelWatermarks = new Array<number>(numberOfChannels).fill(MIN_WATERMARK);
    this.finished = new Array<boolean>(numberOfChannels).fill(false);
  }

  /** A watermark arrived on a channel; returns the new combined watermark, or undefined if it did not advance. */
  inputWatermark(channel: number, watermark: number): number | undefined {
    if (watermark > this.channelWatermarks[channel]!) this.channelWatermarks[channel] = watermark;
    return this.advance();
  }

  /** A channel ended: it no longer holds the minimum back. */
  channelFinished(channel: number): number | undefined {
    this.finished[channel] = true;
    return this.advance();
  }

  private advance(): number | undefined {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.channelWatermarks.length; i++) {
      if (!this.finished[i] && this.channelWatermarks[i]! < min) min = this.channelWatermarks[i]!;
    }
    if (min === Number.POSITIVE_INFINITY || min <= this.lastOutput) return undefined;
    this.lastOutput = min;
    return min;
  }
}
