/**
 * Test support for operators with keyed state and timers: builds operators the
 * way a task does (spec from `runInPlanMode`, one plan per subtask, an
 * OperatorContext per subtask), collects main and side outputs, routes keyed
 * records to subtasks by key group, and takes snapshots through the real
 * keyed/operator state formats to restore them at another parallelism. Used by
 * the tests next to it; never by production code.
 */
import { Writable } from 'node:stream';
import {
  MAX_WATERMARK, MIN_WATERMARK, runInPlanMode,
  type OperatorSpec, type OutputTag, type TimestampAssigner, type WatermarkGenerator, type WatermarkOutput,
  type WatermarkStrategy,
} from '@tsflink/api';
import { createSilentLogger } from '@tsflink/core';
import type { OperatorContext } from '../operators/operator-context.js';
import type { Output } from '../operators/output.js';
import type { OperatorRestore, OperatorSnapshot, StreamOperator } from '../operators/stream-operator.js';
import { assignKeyToParallelOperator } from '../state/key-group-assignment.js';
import type { KeyedStateSource } from '../state/keyed-state-restore.js';
import type { KeyedStateSnapshotResult } from '../state/keyed-state-snapshot.js';
import { MemoryStateOutputStream } from '../state/memory-state-stream.js';
import type { OperatorStateSource } from '../state/operator-state-restore.js';
import { redistributeOperatorState, type OperatorStateHandle } from '../state/operator-state-redistribution.js';
import type { OperatorStateSnapshotResult } from '../state/operator-state-snapshot.js';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import type { OperatorServices, SideOutputEmitter } from './operator-services.js';

export interface CollectedRecord {
  readonly value: unknown;
  readonly timestamp: number;
}

/** An Output that keeps what it receives. */
export class CollectingOutput implements Output {
  readonly records: CollectedRecord[] = [];
  readonly watermarks: number[] = [];
  /** Watermark statuses received, in order (true = idle). */
  readonly statuses: boolean[] = [];

  collect(value: unknown, timestamp: number): void {
    this.records.push({ value, timestamp });
  }

  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.statuses.push(idle);
  }

  values(): unknown[] {
    return this.records.map((r) => r.value);
  }
}

/** A SideOutputEmitter that keeps what it receives, by tag id. */
export class CollectingSideOutput implements SideOutputEmitter {
  readonly records: Array<CollectedRecord & { readonly tag: string }> = [];

  emit(tag: OutputTag<unknown>, value: unknown, timestamp: number): void {
    this.records.push({ tag: tag.id, value, timestamp });
  }

  values(tagId: string): unknown[] {
    return this.records.filter((r) => r.tag === tagId).map((r) => r.value);
  }
}

const devNull = (): Writable => new Writable({ write(_chunk, _encoding, callback) { callback(); } });

/** Plans `main` and returns the spec of its only operator of `kind`. */
export async function planOperator<K extends OperatorSpec['kind']>(
  main: () => Promise<void>,
  kind: K,
  parallelism: number,
): Promise<Extract<OperatorSpec, { kind: K }>> {
  const plan = await runInPlanMode(main, [], { defaultParallelism: parallelism });
  const specs = [...plan.operators.values()].filter((s) => s.kind === kind);
  if (specs.length !== 1) throw new Error(`Expected one '${kind}' operator in the plan, found ${specs.length}`);
  return specs[0] as Extract<OperatorSpec, { kind: K }>;
}

/** The OperatorContext a task gives subtask `subtaskIndex` of `spec`. */
export function operatorContext(spec: OperatorSpec, subtaskIndex: number, now: () => number): OperatorContext {
  return {
    spec,
    jobId: 'test-job',
    taskName: `${spec.name} (${subtaskIndex + 1}/${spec.parallelism})`,
    subtaskIndex,
    parallelism: spec.parallelism,
    maxParallelism: spec.maxParallelism,
    attemptNumber: 0,
    logger: createSilentLogger(),
    now,
    stdout: devNull(),
    stderr: devNull(),
    awaitBeforeNextRecord: () => { throw new Error('not expected in these tests'); },
    // The harness passes its own services to the operators; these are never used through the context.
    processingTimeScheduler: { now, schedule: () => { throw new Error('use the harness scheduler'); } },
    sideOutput: { emit: () => { throw new Error('use the harness side outputs'); } },
  };
}

/** Builds the runtime operator of one subtask from its own spec. */
export type OperatorConstructor<O extends StreamOperator, S extends OperatorSpec> =
  (ctx: OperatorContext, spec: S, services: OperatorServices) => O;

/** What one subtask wrote for a checkpoint: keyed and operator state, as bytes in memory. */
export interface SubtaskSnapshot {
  readonly keyed?: { readonly result: KeyedStateSnapshotResult; readonly stream: MemoryStateOutputStream };
  readonly operator?: { readonly result: OperatorStateSnapshotResult; readonly stream: MemoryStateOutputStream };
}

/** A checkpoint of all subtasks of one operator, by old subtask index. */
export interface OperatorCheckpoint {
  readonly checkpointId: number;
  readonly subtasks: readonly SubtaskSnapshot[];
}

/**
 * What each of `newParallelism` subtasks restores from `checkpoint`: every old
 * keyed stream (the restore reads just the key groups of the new range) and its
 * share of operator state as `redistributeOperatorState` assigns it.
 */
export function restoreAssignments(checkpoint: OperatorCheckpoint, newParallelism: number): OperatorRestore[] {
  const keyed: KeyedStateSource[] = [];
  const handles: (OperatorStateHandle<number> | undefined)[] = [];
  checkpoint.subtasks.forEach((s, index) => {
    if (s.keyed !== undefined) {
      keyed.push({
        bytes: s.keyed.stream.reader(),
        keyGroupRange: s.keyed.result.keyGroupRange,
        keyGroupOffsets: s.keyed.result.keyGroupOffsets,
        length: s.keyed.result.length,
        description: `keyed state of subtask ${index}`,
      });
    }
    handles.push(s.operator === undefined ? undefined : { stream: index, states: s.operator.result.states });
  });
  return redistributeOperatorState(handles, newParallelism).map((parts) => ({
    keyed,
    operator: parts.map((part): OperatorStateSource => {
      const stream = checkpoint.subtasks[part.stream]!.operator!;
      return { bytes: stream.stream.reader(), length: stream.result.length, states: part.states, description: `operator state of subtask ${part.stream}` };
    }),
  }));
}

/**
 * All subtasks of one keyed operator, as a job would run them behind a keyBy:
 * records go to the subtask owning their key group, watermarks to all subtasks.
 * Outputs of all subtasks are collected together.
 */
export class KeyedOperatorGroup<O extends StreamOperator> {
  readonly output = new CollectingOutput();
  readonly sideOutput = new CollectingSideOutput();

  private constructor(
    readonly operators: readonly O[],
    private readonly keyOf: (value: unknown) => unknown,
    readonly maxParallelism: number,
    readonly scheduler: ManualProcessingTimeScheduler,
  ) {
    for (const op of operators) op.output = this.output;
  }

  /**
   * Plans `main` once per subtask (specs are never shared between subtasks),
   * builds, restores (when `checkpoint` is given) and opens every subtask.
   */
  static async start<S extends OperatorSpec, O extends StreamOperator>(options: {
    readonly main: () => Promise<void>;
    readonly kind: S['kind'];
    readonly parallelism: number;
    readonly create: OperatorConstructor<O, S>;
    readonly scheduler?: ManualProcessingTimeScheduler;
    readonly checkpoint?: OperatorCheckpoint;
  }): Promise<KeyedOperatorGroup<O>> {
    const scheduler = options.scheduler ?? new ManualProcessingTimeScheduler();
    const restores = options.checkpoint === undefined ? undefined : restoreAssignments(options.checkpoint, options.parallelism);
    const operators: O[] = [];
    let keySelector: S['keySelector'] | undefined;
    let maxParallelism = 0;
    const holder: { group?: KeyedOperatorGroup<O> } = {};
    const services: OperatorServices = {
      processingTimeScheduler: scheduler,
      sideOutput: { emit: (tag, value, timestamp) => holder.group!.sideOutput.emit(tag, value, timestamp) },
    };
    for (let subtask = 0; subtask < options.parallelism; subtask++) {
      const spec = await planOperator(options.main, options.kind, options.parallelism) as unknown as S;
      keySelector = spec.keySelector;
      maxParallelism = spec.maxParallelism;
      operators.push(options.create(operatorContext(spec, subtask, () => scheduler.now()), spec, services));
    }
    if (keySelector === undefined) throw new Error('The operator does not read a keyed stream');
    const selector = keySelector;
    const group = new KeyedOperatorGroup(operators, (v) => selector.getKey(v as never), maxParallelism, scheduler);
    holder.group = group;
    for (const [i, op] of operators.entries()) await op.initializeState(restores?.[i]);
    for (const op of operators) await op.open();
    return group;
  }

  get parallelism(): number {
    return this.operators.length;
  }

  /** Sends a record to the subtask of its key. */
  element(value: unknown, timestamp: number): void {
    const subtask = assignKeyToParallelOperator(this.keyOf(value), this.maxParallelism, this.operators.length);
    this.operators[subtask]!.processElement(value, timestamp);
  }

  /** Sends a watermark to every subtask. */
  watermark(watermark: number): void {
    for (const op of this.operators) op.processWatermark(watermark);
  }

  /** Snapshots every subtask and writes the snapshots to memory, as a task and its TaskManager would. */
  async snapshot(checkpointId: number): Promise<OperatorCheckpoint> {
    return (await this.snapshotSync(checkpointId)).write();
  }

  /**
   * Takes only the synchronous part of a checkpoint; the returned `write` does the
   * asynchronous part. Records processed in between must not leak into it (the
   * keyed backend copies on write), as in a task whose upload runs while records flow.
   */
  async snapshotSync(checkpointId: number): Promise<{ write(): Promise<OperatorCheckpoint> }> {
    const snapshots: OperatorSnapshot[] = [];
    for (const op of this.operators) snapshots.push(await op.snapshotState(checkpointId, 0));
    return {
      write: async () => {
        const subtasks: SubtaskSnapshot[] = [];
        for (const snapshot of snapshots) {
          let keyed: SubtaskSnapshot['keyed'];
          let operator: SubtaskSnapshot['operator'];
          if (snapshot.keyed !== undefined) {
            const stream = new MemoryStateOutputStream();
            keyed = { result: await snapshot.keyed.write(stream), stream };
          }
          if (snapshot.operator !== undefined) {
            const stream = new MemoryStateOutputStream();
            operator = { result: await snapshot.operator.write(stream), stream };
          }
          subtasks.push({ keyed, operator });
        }
        return { checkpointId, subtasks };
      },
    };
  }

  async close(): Promise<void> {
    for (const op of this.operators) await op.close();
  }
}

/**
 * A source-side timestamp and watermark generator driving a group: each record
 * gets its timestamp from the strategy, then the generator's periodic
 * watermark is emitted (when it advances), as with an auto-watermark interval
 * shorter than the gap between records. Deterministic.
 */
export class WatermarkedInput<T> {
  private readonly assigner: TimestampAssigner<T>;
  private readonly generator: WatermarkGenerator<T>;
  private readonly wmOutput: WatermarkOutput;
  private target: { watermark(w: number): void } | undefined;
  private lastWatermark = MIN_WATERMARK;

  constructor(strategy: WatermarkStrategy<T>) {
    this.assigner = strategy.createTimestampAssigner();
    this.generator = strategy.createWatermarkGenerator(() => 0);
    this.wmOutput = {
      emitWatermark: (w) => {
        if (w <= this.lastWatermark) return;
        this.lastWatermark = w;
        this.target?.watermark(w);
      },
      markIdle() {},
      markActive() {},
    };
  }

  /** Feeds `records` to `group`, each followed by a periodic watermark. */
  feed(group: { element(value: unknown, timestamp: number): void; watermark(w: number): void }, records: readonly T[]): void {
    this.target = group;
    for (const record of records) {
      const timestamp = this.assigner.extractTimestamp(record, MIN_WATERMARK);
      group.element(record, timestamp);
      this.generator.onEvent(record, timestamp, this.wmOutput);
      this.generator.onPeriodicEmit(this.wmOutput);
    }
  }
}

/** A stable, order-independent rendering of records for comparing runs. */
export function sortedRecords(records: readonly CollectedRecord[]): string[] {
  return records.map((r) => `${JSON.stringify(r.value)}@${r.timestamp}`).sort();
}

/** Starts the subtasks of the operator under test (fresh, or restored from `checkpoint`). */
export type GroupStarter<O extends StreamOperator> = (
  parallelism: number,
  scheduler: ManualProcessingTimeScheduler,
  checkpoint?: OperatorCheckpoint,
) => Promise<KeyedOperatorGroup<O>>;

/** A run of a keyed operator over an event-time input, optionally interrupted by a checkpoint and a restore. */
export interface ScenarioOptions<T, O extends StreamOperator> {
  readonly start: GroupStarter<O>;
  readonly records: readonly T[];
  readonly strategy: WatermarkStrategy<T>;
  readonly parallelism: number;
  /** Processing time before record `i` is `processingTimeStart + i × processingTimeStep`. */
  readonly processingTimeStart?: number;
  readonly processingTimeStep?: number;
  /** Processing time the run ends at (after the end-of-time watermark). */
  readonly processingTimeEnd?: number;
  /**
   * Take a checkpoint after this many records and restore it into
   * `restoreParallelism` new subtasks, which go on with the next record, behind a
   * restarted watermark generator (as a restarted source).
   */
  readonly checkpointAfter?: number;
  readonly restoreParallelism?: number;
  /**
   * Records the old subtasks still process after the checkpoint before they
   * "crash"; their output is lost. The checkpoint is written only after them, so
   * they also check that nothing they change leaks into it.
   */
  readonly lostAfterCheckpoint?: number;
}

/** What a scenario emitted: main and side outputs that count (those before a crash's checkpoint, then the restored run's). */
export interface ScenarioResult {
  readonly records: CollectedRecord[];
  readonly side: Array<CollectedRecord & { readonly tag: string }>;
}

/** Runs a scenario to the end of input: every record, then the end-of-time watermark and the final processing time. */
export async function runScenario<T, O extends StreamOperator>(options: ScenarioOptions<T, O>): Promise<ScenarioResult> {
  const step = options.processingTimeStep ?? 0;
  const timeStart = options.processingTimeStart ?? 0;
  const timeOf = (i: number) => timeStart + i * step;
  const records = options.records;
  const split = options.checkpointAfter ?? records.length;

  let scheduler = new ManualProcessingTimeScheduler(timeOf(0));
  let group = await options.start(options.parallelism, scheduler);
  let input = new WatermarkedInput(options.strategy);
  const feed = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      scheduler.advanceTo(timeOf(i));
      input.feed(group, [records[i]!]);
    }
  };
  feed(0, split);
  const kept: CollectedRecord[] = [];
  const keptSide: ScenarioResult['side'] = [];
  if (options.checkpointAfter !== undefined) {
    const pending = await group.snapshotSync(1);
    kept.push(...group.output.records);
    keptSide.push(...group.sideOutput.records);
    // A crash: what the old subtasks do after the checkpoint is lost.
    feed(split, Math.min(records.length, split + (options.lostAfterCheckpoint ?? 0)));
    const checkpoint = await pending.write();
    await group.close();
    scheduler = new ManualProcessingTimeScheduler(timeOf(split));
    group = await options.start(options.restoreParallelism ?? options.parallelism, scheduler, checkpoint);
    input = new WatermarkedInput(options.strategy);
  }
  feed(split, records.length);
  group.watermark(MAX_WATERMARK);
  scheduler.advanceTo(Math.max(scheduler.now(), options.processingTimeEnd ?? scheduler.now()));
  await group.close();
  return { records: [...kept, ...group.output.records], side: [...keptSide, ...group.sideOutput.records] };
}
