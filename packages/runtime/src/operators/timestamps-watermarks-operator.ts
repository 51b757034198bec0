import { MIN_WATERMARK, MAX_WATERMARK, type TimestampAssigner, type WatermarkGenerator, type WatermarkStrategy } from '@tsflink/api';
import type { OperatorContext } from './operator-context.js';
import { StreamOperator } from './stream-operator.js';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import { StatusTrackingWatermarkOutput } from './status-tracking-watermark-output.js';

/**
 * `assignTimestampsAndWatermarks`: re-stamps records by the strategy and emits
 * the generator's watermarks instead of the upstream ones (only the end-of-time
 * watermark passes through, as in Flink). Its generator's idleness (`withIdleness`)
 * is sent downstream as a watermark status; upstream statuses pass through.
 */
export class TimestampsAndWatermarksOperator extends StreamOperator {
  private readonly assigner: TimestampAssigner<unknown>;
  private readonly generator: WatermarkGenerator<unknown>;
  private readonly wmOutput: StatusTrackingWatermarkOutput;

  constructor(ctx: OperatorContext, strategy: WatermarkStrategy<unknown>) {
    super(ctx);
    this.assigner = strategy.createTimestampAssigner();
    this.generator = strategy.createWatermarkGenerator(() => ctx.now());
    this.wmOutput = new StatusTrackingWatermarkOutput(() => this.output);
  }

  protected process(value: unknown, timestamp: number): void {
    const ts = this.assigner.extractTimestamp(value, timestamp === NO_TIMESTAMP ? MIN_WATERMARK : timestamp);
    // As SourceOperator: "no timestamp" (MIN_WATERMARK, undefined, NaN) stays NO_TIMESTAMP downstream.
    const eventTime = ts === MIN_WATERMARK || ts === undefined || Number.isNaN(ts) ? NO_TIMESTAMP : ts;
    this.generator.onEvent(value, eventTime, this.wmOutput);
    this.output.collect(value, eventTime);
  }

  override processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    if (watermark === MAX_WATERMARK) this.wmOutput.emitWatermark(MAX_WATERMARK);
  }

  emitPeriodicWatermark(): void {
    this.generator.onPeriodicEmit(this.wmOutput);
  }
}
