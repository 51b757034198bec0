import { ListStateDescriptor } from '@tsflink/api';
import type { Sink, SinkFunction, SinkFunctionContext, SinkWriteContext, SinkWriter } from '@tsflink/api';
import type { OperatorContext } from './operator-context.js';
import { StreamOperator, type OperatorRestore, type OperatorSnapshot } from './stream-operator.js';
import { NO_TIMESTAMP } from '../network/stream-item.js';

/**
 * Serialises async sink calls: a record is handed to the sink only after the
 * previous call's promise settled; the task waits (awaitBeforeNextRecord) so the
 * queue never grows beyond the records of one input. `write` is fixed at
 * construction so that a synchronous sink costs no closure per record.
 */
class SequentialInvoker {
  private tail: Promise<unknown> | undefined;
  constructor(
    private readonly ctx: OperatorContext,
    private readonly write: (value: unknown, timestamp: number) => void | Promise<void>,
  ) {}

  run(value: unknown, timestamp: number): void {
    if (this.tail) {
      const next = this.tail.then(() => this.write(value, timestamp));
      this.track(next);
      return;
    }
    const r = this.write(value, timestamp);
    if (r && typeof (r as Promise<void>).then === 'function') this.track(r as Promise<void>);
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.finally(() => { if (this.tail === tracked) this.tail = undefined; });
    this.tail = tracked;
    this.ctx.awaitBeforeNextRecord(tracked);
  }

  async idle(): Promise<void> {
    while (this.tail) await this.tail;
  }
}

/** `addSink(SinkFunction)`: invoke per record. */
export class SinkFunctionOperator extends StreamOperator {
  private readonly fn: SinkFunction<unknown>;
  private readonly invoker: SequentialInvoker;
  private timestamp = NO_TIMESTAMP;
  private readonly context: SinkFunctionContext;

  constructor(ctx: OperatorContext, fn: SinkFunction<unknown>) {
    super(ctx, fn);
    this.fn = fn;
    this.invoker = new SequentialInvoker(ctx, (value, timestamp) => {
      this.timestamp = timestamp;
      return this.fn.invoke(value, this.context);
    });
    const self = this;
    this.context = {
      currentProcessingTime: () => ctx.now(),
      currentWatermark: () => self.currentWatermark,
      timestamp: () => (self.timestamp === NO_TIMESTAMP ? undefined : self.timestamp),
    };
  }

  protected process(value: unknown, timestamp: number): void {
    this.invoker.run(value, timestamp);
  }

  override async endInput(): Promise<void> { await this.invoker.idle(); }
  override async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    await this.invoker.idle();
    return super.snapshotState(checkpointId, timestamp);
  }
}

/** Name of the operator list state holding a SinkWriter's checkpointed state. */
const WRITER_STATE = new ListStateDescriptor<unknown>('_sink_writer_state');

/** `sinkTo(Sink)`: one writer per subtask, its state kept as operator list state. */
export class SinkWriterOperator extends StreamOperator {
  private writer!: SinkWriter<unknown>;
  private readonly invoker: SequentialInvoker;
  private restoredStates: unknown[] = [];
  private timestamp = NO_TIMESTAMP;
  /** One reusable context object; its getters read the record being written. */
  private readonly writeContext: SinkWriteContext = (() => {
    const self = this;
    return {
      get timestamp() { return self.timestamp === NO_TIMESTAMP ? undefined : self.timestamp; },
      get currentWatermark() { return self.currentWatermark; },
    };
  })();

  constructor(ctx: OperatorContext, private readonly sink: Sink<unknown>) {
    super(ctx);
    this.invoker = new SequentialInvoker(ctx, (value, timestamp) => {
      this.timestamp = timestamp;
      return this.writer.write(value, this.writeContext);
    });
  }

  override async initializeState(restore: OperatorRestore | undefined): Promise<void> {
    await super.initializeState(restore);
    this.restoredStates = [...this.operatorStateBackend.getListState(WRITER_STATE).get()];
  }

  override async open(): Promise<void> {
    const ctx = this.ctx;
    this.writer = this.sink.createWriter({ subtaskIndex: ctx.subtaskIndex, parallelism: ctx.parallelism, attemptNumber: ctx.attemptNumber });
    if (this.writer.initializeState) await this.writer.initializeState(this.restoredStates);
  }

  protected process(value: unknown, timestamp: number): void {
    this.invoker.run(value, timestamp);
  }

  override async endInput(): Promise<void> {
    await this.invoker.idle();
    if (this.writer.flush) await this.writer.flush(true);
  }

  override async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    await this.invoker.idle();
    if (this.writer.flush) await this.writer.flush(false);
    const list = this.operatorStateBackend.getListState(WRITER_STATE);
    if (this.writer.snapshotState) list.update(await this.writer.snapshotState(checkpointId) as unknown[]);
    return super.snapshotState(checkpointId, timestamp);
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    if (this.writer.notifyCheckpointComplete) await this.writer.notifyCheckpointComplete(checkpointId);
  }

  override async close(): Promise<void> {
    // No wait for in-flight writes: after a normal end endInput awaited them; after a failure or
    // cancellation a write may never complete, and close must not hang the task.
    if (this.writer?.close) await this.writer.close();
  }
}

/**
 * `print()`: one line per record, with Flink's prefix: "<id>:<n>> " or "<n>> "
 * when parallelism > 1, "<id>> " at parallelism 1 with an identifier.
 */
export class PrintOperator extends StreamOperator {
  private readonly prefix: string;
  private readonly target: NodeJS.WritableStream;
  private buffer: string[] = [];

  constructor(ctx: OperatorContext, sinkIdentifier: string | undefined, target: 'stdout' | 'stderr') {
    super(ctx);
    const n = ctx.subtaskIndex + 1;
    this.prefix = ctx.parallelism > 1
      ? (sinkIdentifier ? `${sinkIdentifier}:${n}> ` : `${n}> `)
      : (sinkIdentifier ? `${sinkIdentifier}> ` : '');
    this.target = target === 'stderr' ? ctx.stderr : ctx.stdout;
  }

  protected process(value: unknown): void {
    this.buffer.push(this.prefix + formatValue(value));
    if (this.buffer.length >= 256) this.flush();
  }

  /** Lines are written in batches: at 256 lines, whenever the task goes idle, and at checkpoints and end. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.target.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  override async endInput(): Promise<void> { this.flush(); }
  override async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    this.flush();
    return super.snapshotState(checkpointId, timestamp);
  }
  override async close(): Promise<void> { this.flush(); }
}

/** Flink prints tuples as (a,b); we print arrays like that, objects as JSON, the rest with String(). */
function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map(formatValue).join(',')})`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    try { return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)); } catch { return String(value); }
  }
  return String(value);
}
