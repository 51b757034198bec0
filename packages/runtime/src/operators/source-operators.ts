import {
  InputStatus, ListStateDescriptor, MAX_WATERMARK, MIN_WATERMARK,
  type ReaderOutput, type Source, type SourceContext, type SourceFunction, type SourceReader, type SourceSplit,
  type TimestampAssigner, type WatermarkGenerator, type WatermarkStrategy,
} from '@tsflink/api';
import type { OperatorContext } from './operator-context.js';
import { StreamOperator, type OperatorRestore, type OperatorSnapshot } from './stream-operator.js';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import { StatusTrackingWatermarkOutput } from './status-tracking-watermark-output.js';

/** The operator list state holding a split-based source's splits (with their positions). */
const SPLITS_STATE = new ListStateDescriptor<SourceSplit>('_source_splits');

/**
 * Head of a split-based source task (Flink's SourceOperator). The task pulls
 * records with `pollNext`; each record gets its timestamp from the strategy's
 * assigner and feeds the watermark generator. The reader's splits — positions
 * included — are the operator's list state, so they follow their subtask on
 * restore and are redistributed round-robin on rescale.
 */
export class SourceOperator extends StreamOperator {
  private reader!: SourceReader<unknown, SourceSplit>;
  private splits: SourceSplit[] = [];
  private readonly assigner: TimestampAssigner<unknown>;
  private readonly generator: WatermarkGenerator<unknown>;
  /** Marks this subtask idle downstream on its generator's `markIdle`, or when it has no splits. */
  private readonly watermarkOutput: StatusTrackingWatermarkOutput;
  private readonly readerOutput: ReaderOutput<unknown>;

  constructor(ctx: OperatorContext, private readonly source: Source<unknown, SourceSplit>, strategy: WatermarkStrategy<unknown>) {
    super(ctx);
    this.assigner = strategy.createTimestampAssigner();
    this.generator = strategy.createWatermarkGenerator(() => ctx.now());
    const self = this;
    this.watermarkOutput = new StatusTrackingWatermarkOutput(() => this.output);
    this.readerOutput = {
      collect(record: unknown, timestamp?: number) {
        const ts = self.assigner.extractTimestamp(record, timestamp ?? MIN_WATERMARK);
        const eventTime = ts === MIN_WATERMARK || ts === undefined || Number.isNaN(ts) ? NO_TIMESTAMP : ts;
        self.generator.onEvent(record, eventTime, self.watermarkOutput);
        self.output.collect(record, eventTime);
      },
    };
  }

  override async initializeState(restore: OperatorRestore | undefined): Promise<void> {
    await super.initializeState(restore);
    const state = this.operatorStateBackend.getListState(SPLITS_STATE);
    if (restore) {
      this.splits = [...state.get()];
    } else {
      // First start: every subtask computes the same deterministic splits and keeps those with its index.
      const all = this.source.createSplits(this.ctx.parallelism);
      this.splits = all.filter((_, i) => i % this.ctx.parallelism === this.ctx.subtaskIndex);
    }
  }

  override async open(): Promise<void> {
    this.reader = this.source.createReader({
      subtaskIndex: this.ctx.subtaskIndex,
      parallelism: this.ctx.parallelism,
      attemptNumber: this.ctx.attemptNumber,
    });
    if (this.reader.start) await this.reader.start();
    this.reader.addSplits(this.splits);
  }

  /** Emits up to one batch; the task calls this in its loop. */
  pollNext(): InputStatus | Promise<InputStatus> {
    return this.reader.pollNext(this.readerOutput);
  }

  isAvailable(): Promise<void> {
    return this.reader.isAvailable();
  }

  /** Called every auto-watermark interval by the task. A subtask without splits is idle: it holds no one back. */
  emitPeriodicWatermark(): void {
    if (this.splits.length === 0) this.watermarkOutput.markIdle();
    else this.generator.onPeriodicEmit(this.watermarkOutput);
  }

  /** Bounded input ended: the end-of-time watermark fires everything downstream. */
  emitFinalWatermark(): void {
    this.watermarkOutput.emitWatermark(MAX_WATERMARK);
  }

  protected process(): void {
    throw new Error('A source operator has no input.');
  }

  override async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    this.operatorStateBackend.getListState(SPLITS_STATE).update(this.reader.snapshotState(checkpointId));
    return super.snapshotState(checkpointId, timestamp);
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    if (this.reader.notifyCheckpointComplete) await this.reader.notifyCheckpointComplete(checkpointId);
  }

  override async close(): Promise<void> {
    if (this.reader?.close) await this.reader.close();
  }
}

/**
 * Head of a legacy source task (`addSource`): `run(ctx)` pushes records. The
 * runtime is single-threaded, so checkpoints and cancellation happen while `run`
 * awaits; its position is consistent as long as it updates position and collects
 * in one synchronous block (what Flink's checkpoint lock ensures).
 */
export class SourceFunctionOperator extends StreamOperator {
  private readonly fn: SourceFunction<unknown>;
  private readonly sourceContext: SourceContext<unknown>;
  private readonly lock = {};
  /** Set by stop-with-savepoint: what `run` emits after the barrier is dropped (it is read again on resume). */
  private stopped = false;
  /** `markAsTemporarilyIdle` was called and nothing was emitted since. */
  private idle = false;
  /** Called after each record the source emits (the task schedules a flush: `run` pushes, nothing polls it). */
  onRecord?: () => void;
  /** Set by the task: resolves when its outputs have room (back-pressure for `ctx.whenAvailable`). */
  whenOutputAvailable: () => Promise<void> = () => Promise.resolve();

  constructor(ctx: OperatorContext, fn: SourceFunction<unknown>) {
    super(ctx, fn);
    this.fn = fn;
    const self = this;
    this.sourceContext = {
      collect(element: unknown) {
        if (self.stopped) return;
        if (self.idle) self.markActive();
        self.output.collect(element, NO_TIMESTAMP);
        self.onRecord?.();
      },
      collectWithTimestamp(element: unknown, timestamp: number) {
        if (self.stopped) return;
        if (self.idle) self.markActive();
        self.output.collect(element, timestamp);
        self.onRecord?.();
      },
      emitWatermark(watermark: number) {
        if (self.stopped) return;
        if (self.idle) self.markActive();
        self.output.emitWatermark(watermark);
      },
      markAsTemporarilyIdle() {
        if (self.stopped || self.idle) return;
        self.idle = true;
        self.output.emitWatermarkStatus(true);
      },
      getCheckpointLock() { return self.lock; },
      whenAvailable() { return self.whenOutputAvailable(); },
    };
  }

  /** Anything emitted after `markAsTemporarilyIdle` makes the source active again (as Flink's source contexts do). */
  private markActive(): void {
    this.idle = false;
    this.output.emitWatermarkStatus(false);
  }

  /** Runs the user's source to its end (or until cancelled). */
  run(): Promise<void> {
    return this.fn.run(this.sourceContext);
  }

  cancelSource(): void {
    try { this.fn.cancel(); } catch (e) { this.ctx.logger.warn({ err: e }, 'The source function threw in cancel().'); }
  }

  /** Stop-with-savepoint: nothing more is emitted, and `run` is asked to return. */
  stopSource(): void {
    this.stopped = true;
    this.cancelSource();
  }

  /** The end-of-time watermark: `run` returned (as Flink's StreamSource does), or stop --drain. */
  emitFinalWatermark(): void {
    if (this.stopped) return;
    if (this.idle) this.markActive();
    this.output.emitWatermark(MAX_WATERMARK);
  }

  protected process(): void {
    throw new Error('A source operator has no input.');
  }
}

export { InputStatus };
