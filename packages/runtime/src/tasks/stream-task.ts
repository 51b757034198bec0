import type { Logger } from '@tsflink/core';
import { InputStatus, type JobGraph, type JobVertex, type PlannedJob } from '@tsflink/api';
import { InputGate } from '../network/input-gate.js';
import type { InputChannel } from '../network/input-channel.js';
import { PartitionRegistry, ResultPartition } from '../network/result-partition.js';
import { RecordWriter } from '../network/record-writer.js';
import { createChannelSelector } from '../network/partitioner.js';
import type { CheckpointBarrier } from '../network/stream-item.js';
import { END_OF_PARTITION, NO_TIMESTAMP } from '../network/stream-item.js';
import { ChainingOutput, RecordWriterOutput, combineOutputs, type Output } from '../operators/output.js';
import type { OperatorContext } from '../operators/operator-context.js';
import { createOperator } from '../operators/operator-factory.js';
import type { OperatorRestore, OperatorSnapshot, StreamOperator } from '../operators/stream-operator.js';
import { SourceFunctionOperator, SourceOperator } from '../operators/source-operators.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-watermarks-operator.js';
import { PrintOperator } from '../operators/sink-operators.js';
import { BarrierHandler } from './barrier-handler.js';
import { MailboxProcessingTimeScheduler } from '../windowing/mailbox-processing-time-scheduler.js';
import { SideOutputRouter, WatermarkOnlyOutput } from '../windowing/side-output-router.js';
import { Mailbox } from './mailbox.js';
import { WatermarkValve } from './watermark-valve.js';

/** Where one deployed task runs and what it is made of. */
export interface TaskDeployment {
  jobId: string;
  attemptId: string;
  attemptNumber: number;
  jobGraph: JobGraph;
  vertex: JobVertex;
  subtaskIndex: number;
  /** Consumer parallelism and max parallelism per output edge (by JobGraph edge index). */
  outputs: Array<{ edgeIndex: number; consumerParallelism: number; consumerMaxParallelism: number }>;
  /** The input channels of every input edge, in order (all feed the head operator). */
  inputChannels: InputChannel[];
  exactlyOnce: boolean;
  /** State to restore, by operator id. */
  restore?: Map<string, OperatorRestore>;
}

/** What a task needs from its TaskManager. */
export interface TaskServices {
  logger: Logger;
  now: () => number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  partitions: PartitionRegistry;
  /** Called after the synchronous part of a checkpoint, with the operators' snapshots to write and acknowledge. */
  onCheckpointSnapshot(barrier: CheckpointBarrier, snapshots: OperatorSnapshot[], metrics: { syncMs: number; alignmentMs: number }): void;
  /** The task could not take its part of a checkpoint. */
  onCheckpointDeclined(checkpointId: number, error: Error): void;
}

export type TaskResult = 'FINISHED' | 'CANCELED';

const AUTO_WATERMARK_INTERVAL_MS = 200;
/** Longest a partial batch waits in a task that is never idle before it is sent (Flink's execution.buffer-timeout default). */
const BUFFER_TIMEOUT_MS = 100;
/** Record batches processed between yields to the event loop (other tasks, network, timers). */
const BATCHES_PER_YIELD = 4;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One parallel instance of a vertex: its chain of operators, its input gate
 * and its result partitions, driven by a single loop (Flink's StreamTask with a
 * mailbox). Records pass through the chain by direct calls; between batches the
 * loop runs mailbox actions (checkpoint triggers, notifications, watermarks),
 * flushes partial batches when idle, and waits while consumers are back-pressured.
 */
export class StreamTask {
  readonly mailbox = new Mailbox();
  private readonly operators: StreamOperator[] = [];
  private readonly head: StreamOperator;
  private readonly partitions: ResultPartition[] = [];
  private readonly writers: RecordWriter[] = [];
  private readonly gate?: InputGate;
  private readonly barriers?: BarrierHandler;
  private readonly valve?: WatermarkValve;
  private readonly log: Logger;
  private cancelled = false;
  /** Resolves on `cancel()`: a task waiting on user code (a sink call, a source poll, a snapshot) stops waiting. */
  private readonly cancellation: Promise<void>;
  private signalCancelled!: () => void;
  private pendingAsync: Promise<unknown>[] = [];
  private stopRequested?: CheckpointBarrier;
  private lastFlush: number;
  private readonly printers: PrintOperator[] = [];
  private readonly timeScheduler: MailboxProcessingTimeScheduler;

  constructor(private readonly deployment: TaskDeployment, planned: PlannedJob, private readonly services: TaskServices) {
    const { vertex, subtaskIndex, jobGraph } = deployment;
    this.log = services.logger;
    const taskName = `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})`;
    this.cancellation = new Promise((resolve) => { this.signalCancelled = resolve; });
    this.lastFlush = services.now();

    // Result partitions and writers, one per network output edge.
    const writerByEdge = new Map<number, RecordWriter>();
    for (const out of deployment.outputs) {
      const edge = jobGraph.edges[out.edgeIndex]!;
      const partition = new ResultPartition(deployment.attemptId, out.edgeIndex, out.consumerParallelism);
      const producer = vertex.operators.find((o) => o.id === edge.sourceOperator)!;
      const spec = planned.operators.get(producer.id);
      const keySelector = spec?.outputKeySelectors.get(out.edgeIndex);
      const selector = createChannelSelector({
        kind: edge.partitioner,
        numberOfChannels: out.consumerParallelism,
        producerIndex: subtaskIndex,
        producerParallelism: vertex.parallelism,
        keySelector: keySelector ? (v) => keySelector.getKey(v as never) : undefined,
        consumerMaxParallelism: out.consumerMaxParallelism,
      });
      const writer = new RecordWriter(partition.subpartitions, selector);
      this.partitions.push(partition);
      this.writers.push(writer);
      writerByEdge.set(out.edgeIndex, writer);
    }

    // One output per network edge, shared by the main-output wiring and the side-output routers.
    const edgeOutputs = new Map<number, RecordWriterOutput>();
    for (const [edgeIndex, writer] of writerByEdge) edgeOutputs.set(edgeIndex, new RecordWriterOutput(writer));
    // Processing-time timers run on this task's loop (through the mailbox).
    this.timeScheduler = new MailboxProcessingTimeScheduler((action) => this.mailbox.post(action), services.now);

    // Operators of the chain, wired tail-first so every output target exists.
    const byId = new Map<string, StreamOperator>();
    for (const desc of vertex.operators) {
      const spec = planned.operators.get(desc.id);
      if (!spec) throw new Error(`The job's plan has no operator ${desc.id} (${desc.name}).`);
      const sideOutputsByTag = new Map<string, Output[]>();
      for (const edgeIndex of desc.outputEdges) {
        const tag = jobGraph.edges[edgeIndex]!.sideOutputTag;
        const out = edgeOutputs.get(edgeIndex);
        if (!tag || !out) continue;
        let list = sideOutputsByTag.get(tag);
        if (!list) sideOutputsByTag.set(tag, (list = []));
        list.push(out);
      }
      const ctx: OperatorContext = {
        processingTimeScheduler: this.timeScheduler,
        sideOutput: new SideOutputRouter(sideOutputsByTag),
        spec,
        jobId: deployment.jobId,
        taskName,
        subtaskIndex,
        parallelism: vertex.parallelism,
        maxParallelism: vertex.maxParallelism,
        attemptNumber: deployment.attemptNumber,
        logger: this.log.child({ operatorId: desc.id }),
        now: services.now,
        stdout: services.stdout,
        stderr: services.stderr,
        awaitBeforeNextRecord: (p) => {
          // Awaited (and its failure raised) by settleAsync; a task that already ended must not leave an unhandled rejection.
          p.catch(() => {});
          this.pendingAsync.push(p);
        },
      };
      const op = createOperator(ctx);
      byId.set(desc.id, op);
      this.operators.push(op);
      if (op instanceof PrintOperator) this.printers.push(op);
    }
    for (const desc of vertex.operators) {
      const op = byId.get(desc.id)!;
      const outputs: Output[] = desc.chainedOutputs.map((id) => new ChainingOutput(byId.get(id)!));
      for (const edgeIndex of desc.outputEdges) {
        const edge = jobGraph.edges[edgeIndex]!;
        const out = edgeOutputs.get(edgeIndex);
        if (!out) continue;
        // Side-output edges get records through the operator's router, and its watermarks here.
        outputs.push(edge.sideOutputTag ? new WatermarkOnlyOutput(out) : out);
      }
      op.output = combineOutputs(outputs);
    }
    this.head = this.operators[0]!;

    if (deployment.inputChannels.length > 0) {
      this.gate = new InputGate(deployment.inputChannels);
      this.barriers = new BarrierHandler(this.gate, deployment.exactlyOnce, services.now);
      const head = this.head;
      this.valve = new WatermarkValve(deployment.inputChannels.length, {
        emitWatermark: (w) => head.processWatermark(w),
        emitWatermarkStatus: (idle) => head.processWatermarkStatus(idle),
      });
    }
  }

  get isSourceTask(): boolean {
    return this.head instanceof SourceOperator || this.head instanceof SourceFunctionOperator;
  }

  /** Registers the task's result partitions so consumers can find them (before `run`). */
  registerPartitions(): void {
    for (const p of this.partitions) this.services.partitions.register(p);
  }

  /** Restores, opens and runs the task to its end. Throws on failure. */
  async run(): Promise<TaskResult> {
    // Cancelled before it ran: open nothing, and do not register partitions that are already released.
    if (this.cancelled) { this.gate?.release(); return 'CANCELED'; }
    this.registerPartitions();
    try {
      const work = this.runToEnd();
      // Cancellation does not wait for user code that never returns (a stuck sink call, open, snapshot).
      work.catch(() => {});
      await Promise.race([work, this.cancellation]);
      if (this.cancelled) return 'CANCELED';
      await work;
      return 'FINISHED';
    } catch (e) {
      if (this.cancelled) return 'CANCELED';
      throw e;
    } finally {
      this.timeScheduler.quiesce();
      await this.closeOperators();
      // Input channels: local subpartitions are released (their producer stops waiting), remote streams closed.
      this.gate?.release();
      if (this.cancelled) for (const p of this.partitions) p.release();
    }
  }

  private async runToEnd(): Promise<void> {
    for (const op of this.operators) await op.initializeState(this.deployment.restore?.get(op.id));
    for (const op of [...this.operators].reverse()) await op.open();
    if (this.head instanceof SourceOperator) await this.runSplitSource(this.head);
    else if (this.head instanceof SourceFunctionOperator) await this.runSourceFunction(this.head);
    else await this.runInputLoop();
    if (this.cancelled) return;
    await this.finish();
  }

  /** Asks the task to stop as soon as possible (no more records are processed). */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.timeScheduler.quiesce();
    this.signalCancelled();
    if (this.head instanceof SourceFunctionOperator) this.head.cancelSource();
    for (const p of this.partitions) p.release();
    this.mailbox.interrupt();
    this.gate?.interrupt();
  }

  /**
   * Source tasks: inject barrier `barrier` now (runs on the task's loop, between
   * records). With `drain` (stop --drain) the sources first emit the end-of-time
   * watermark so every event-time window and timer fires before the snapshot.
   */
  triggerCheckpoint(barrier: CheckpointBarrier, drain = false): void {
    this.mailbox.post(async () => {
      if (this.cancelled) return;
      if (drain && (this.head instanceof SourceOperator || this.head instanceof SourceFunctionOperator)) this.head.emitFinalWatermark();
      await this.performCheckpoint(barrier, 0);
    });
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.mailbox.post(async () => {
      for (const op of this.operators) if (!this.cancelled) await op.notifyCheckpointComplete(checkpointId);
    });
  }

  notifyCheckpointAborted(checkpointId: number): void {
    this.mailbox.post(async () => {
      this.barriers?.abort(checkpointId);
      for (const op of this.operators) if (!this.cancelled) await op.notifyCheckpointAborted(checkpointId);
    });
  }

  private async runSplitSource(source: SourceOperator): Promise<void> {
    const timer = setInterval(() => this.mailbox.post(() => this.emitPeriodicWatermarks()), AUTO_WATERMARK_INTERVAL_MS);
    try {
      let batches = 0;
      while (!this.cancelled && !this.stopRequested) {
        if (this.mailbox.hasMail) { await this.mailbox.drain(); continue; }
        if (!this.writersWritable()) { this.flushOutputs(); await Promise.race([this.whenWritersWritable(), this.mailbox.whenMail()]); continue; }
        let status = source.pollNext();
        if (typeof status !== 'string') status = await status;
        if (this.pendingAsync.length > 0) await this.settleAsync();
        if (status === InputStatus.END_OF_INPUT) { source.emitFinalWatermark(); break; }
        if (status === InputStatus.NOTHING_AVAILABLE) {
          this.flushOutputs();
          await Promise.race([source.isAvailable(), this.mailbox.whenMail()]);
          continue;
        }
        this.flushIfDue();
        if (++batches % BATCHES_PER_YIELD === 0) await yieldToEventLoop();
      }
    } finally {
      clearInterval(timer);
    }
  }

  private async runSourceFunction(source: SourceFunctionOperator): Promise<void> {
    // Nothing polls a pushing source: flush what it emitted once per event-loop turn, as idle split sources do.
    let flushScheduled = false;
    source.onRecord = () => {
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => { flushScheduled = false; this.mailbox.interrupt(); });
    };
    // Back-pressure: ctx.whenAvailable() waits while a consumer is full (the batches collected so far are handed over first).
    source.whenOutputAvailable = () => {
      if (this.cancelled || this.writersWritable()) return Promise.resolve();
      this.flushOutputs();
      return Promise.race([this.whenWritersWritable(), this.cancellation]);
    };
    // The user's run() pushes records; mailbox actions run while it awaits.
    let done = false;
    const running = source.run().finally(() => { done = true; this.mailbox.interrupt(); });
    // The loop may end by an error before it awaits `running`: never leave its rejection unhandled.
    running.catch(() => {});
    try {
      while (!done && !this.cancelled) {
        await this.mailbox.whenMail();
        await this.mailbox.drain();
        this.flushOutputs();
        // Async sink calls chained to the source: raise their failures, do not let the list grow.
        if (this.pendingAsync.length > 0) {
          const pending = this.pendingAsync;
          this.pendingAsync = [];
          await Promise.all(pending);
        }
      }
      await running;
      if (!this.cancelled) source.emitFinalWatermark();
    } finally {
      source.onRecord = undefined;
    }
  }

  private async runInputLoop(): Promise<void> {
    const gate = this.gate!;
    const head = this.head;
    let batches = 0;
    const timer = this.operators.some((o) => o instanceof TimestampsAndWatermarksOperator)
      ? setInterval(() => this.mailbox.post(() => this.emitPeriodicWatermarks()), AUTO_WATERMARK_INTERVAL_MS)
      : undefined;
    try {
      while (!this.cancelled) {
        if (this.mailbox.hasMail) { await this.mailbox.drain(); continue; }
        if (!this.writersWritable()) { this.flushOutputs(); await Promise.race([this.whenWritersWritable(), this.mailbox.whenMail()]); continue; }
        const next = gate.poll();
        if (next === undefined) {
          if (gate.isFinished) break;
          this.flushOutputs();
          await Promise.race([gate.whenAvailable(), this.mailbox.whenMail()]);
          continue;
        }
        const { channel, item } = next;
        switch (item.kind) {
          case 'records': {
            const { values, timestamps, keyGroups } = item;
            head.prepareBatch(values);
            for (let i = 0; i < values.length && !this.cancelled; i++) {
              const timestamp = timestamps === undefined ? NO_TIMESTAMP : timestamps[i]!;
              // On a keyBy edge the producer computed each record's key group already.
              if (keyGroups === undefined) head.processElement(values[i], timestamp);
              else head.processElementInKeyGroup(values[i], timestamp, keyGroups[i]!);
              if (this.pendingAsync.length > 0) await this.settleAsync();
            }
            this.flushIfDue();
            if (++batches % BATCHES_PER_YIELD === 0) await yieldToEventLoop();
            break;
          }
          case 'watermark':
            this.valve!.inputWatermark(channel, item.timestamp);
            break;
          case 'watermark-status':
            this.valve!.inputWatermarkStatus(channel, item.idle);
            break;
          case 'barrier': {
            const ready = this.barriers!.onBarrier(channel, item);
            if (ready) await this.performCheckpoint(ready.barrier, ready.alignmentMs);
            break;
          }
          case 'end-of-partition': {
            this.valve!.channelFinished(channel);
            const ready = this.barriers!.onEndOfPartition();
            if (ready) await this.performCheckpoint(ready.barrier, ready.alignmentMs);
            break;
          }
        }
      }
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  /**
   * Takes this task's part of a checkpoint: every operator snapshots (the
   * synchronous part: user snapshotState, backend captures), the barrier goes
   * downstream, and the TaskManager writes the snapshots asynchronously.
   */
  private async performCheckpoint(barrier: CheckpointBarrier, alignmentMs: number): Promise<void> {
    if (this.cancelled) return;
    const started = this.services.now();
    const snapshots: OperatorSnapshot[] = [];
    try {
      if (this.pendingAsync.length > 0) await this.settleAsync();
      for (const op of this.operators) snapshots.push(await op.snapshotState(barrier.checkpointId, barrier.timestamp));
    } catch (e) {
      // The keyed views already taken would keep their backends copying on write: let them go.
      for (const s of snapshots) s.keyed?.release();
      this.log.warn({ checkpointId: barrier.checkpointId, err: e }, `Could not snapshot for checkpoint ${barrier.checkpointId}: ${(e as Error).message}`);
      this.services.onCheckpointDeclined(barrier.checkpointId, e as Error);
      return;
    }
    if (this.cancelled) {
      // Cancelled while a snapshot waited on user code: nothing is sent or acknowledged.
      for (const s of snapshots) s.keyed?.release();
      return;
    }
    for (const w of this.writers) w.broadcastEvent(barrier);
    this.services.onCheckpointSnapshot(barrier, snapshots, { syncMs: this.services.now() - started, alignmentMs });
    if (barrier.stopSources && this.isSourceTask) {
      this.stopRequested = barrier;
      // A pushing source must stop too: nothing may follow the barrier, and the task ends when run() returns.
      if (this.head instanceof SourceFunctionOperator) this.head.stopSource();
    }
  }

  private async emitPeriodicWatermarks(): Promise<void> {
    for (const op of this.operators) {
      if (op instanceof SourceOperator || op instanceof TimestampsAndWatermarksOperator) op.emitPeriodicWatermark();
    }
  }

  private async finish(): Promise<void> {
    // Processing-time timers still pending at the end of input do not fire (as in Flink ≥ 1.14).
    this.timeScheduler.quiesce();
    for (const op of this.operators) await op.endInput();
    if (this.pendingAsync.length > 0) await this.settleAsync();
    for (const w of this.writers) w.broadcastEvent(END_OF_PARTITION);
  }

  private async closeOperators(): Promise<void> {
    for (const op of this.operators) {
      try { await op.close(); } catch (e) { this.log.warn({ err: e }, `Closing operator ${op.name} failed: ${(e as Error).message}`); }
    }
  }

  private flushOutputs(): void {
    for (const w of this.writers) w.flush();
    for (const p of this.printers) p.flush();
    this.lastFlush = this.services.now();
  }

  /** A busy task (input always ready) still sends its partial batches at least every BUFFER_TIMEOUT_MS. */
  private flushIfDue(): void {
    if (this.services.now() - this.lastFlush >= BUFFER_TIMEOUT_MS) this.flushOutputs();
  }

  private writersWritable(): boolean {
    for (const w of this.writers) if (!w.isWritable()) return false;
    return true;
  }

  private async whenWritersWritable(): Promise<void> {
    for (const w of this.writers) await w.whenWritable();
  }

  private async settleAsync(): Promise<void> {
    while (this.pendingAsync.length > 0) {
      const pending = this.pendingAsync;
      this.pendingAsync = [];
      await Promise.all(pending);
    }
  }
}
