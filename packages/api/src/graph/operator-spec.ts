/**
 * OperatorSpec: what the runtime instantiates for one operator id. The JobGraph
 * (job-graph.ts) is the serializable skeleton; the specs hold the live user
 * objects. A TaskManager re-runs the job's `main` in plan mode
 * (`runInPlanMode`), takes `PlannedJob.operators.get(operatorId)` for every
 * operator of its vertex, and builds one runtime operator per `kind`.
 *
 * Rules for the runtime:
 * - User functions are always objects (lambdas were wrapped as `{ map: fn }`
 *   and so on, see function-normalization.ts). Drive any of them with
 *   `openFunction(fn, runtimeContext)` / `closeFunction(fn)`, and give the ones
 *   that pass `isCheckpointedFunction` / `isCheckpointListener` their hooks.
 * - The objects of one PlannedJob belong to one subtask: functions keep fields
 *   (state handles, counters), so never share a spec between two subtasks; run
 *   `main` once per subtask (or per task) instead.
 * - `keySelector` is set when the operator reads a keyed stream: compute the key
 *   of each input record with it, check it with `validateKey`, and scope keyed
 *   state and timers by it.
 * - Main output goes to the `chainedOutputs` of the operator's descriptor and to
 *   its `outputEdges` without `sideOutputTag`; a value emitted with
 *   `ctx.output(tag, v)` goes to the output edges whose `sideOutputTag` equals
 *   `tag.id` (side outputs are never chained). For an output edge with
 *   partitioner 'hash', `outputKeySelectors.get(edgeIndex)` computes the key.
 */
import type { Key } from '../keys/key.js';
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction } from '../functions/basic-functions.js';
import type { ProcessFunctionLike } from '../functions/process-function.js';
import type { KeyedProcessFunctionLike } from '../functions/keyed-process-function.js';
import type { SinkFunction } from '../functions/sink-function.js';
import type { SourceFunction } from '../functions/source-function.js';
import type { OutputTag } from '../functions/output-tag.js';
import type { Source, SourceSplit } from '../source/source.js';
import type { Sink } from '../sink/sink.js';
import type { WatermarkStrategy } from '../watermark/watermark-strategy.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import type { ProcessWindowFunctionLike } from '../windowing/process-window-function.js';
import { isCheckpointedFunction, isRichFunction } from '../functions/function-lifecycle.js';

/** A key selector as the runtime sees it. */
export type AnyKeySelector = KeySelector<unknown, Key>;

/** Fields every spec has; they repeat the operator's descriptor so a spec is self-contained. */
export interface OperatorSpecBase {
  /** 32 lowercase hex: the operator id, equal to `OperatorDescriptor.id` and the key in `PlannedJob.operators`. */
  readonly id: string;
  /** The user-given uid, if any. */
  readonly uid?: string;
  /** Display name, e.g. "Source: numbers", "Flat Map", "Sink: Print to Std. Out". */
  readonly name: string;
  readonly parallelism: number;
  /** The vertex's max parallelism, i.e. the number of key groups. */
  readonly maxParallelism: number;
  /** Key of the keyed stream this operator reads; absent on non-keyed input. Required for keyed kinds. */
  readonly keySelector?: AnyKeySelector;
  /** For each output edge with partitioner 'hash': `JobGraph.edges` index → the key selector partitioning it. */
  readonly outputKeySelectors: ReadonlyMap<number, AnyKeySelector>;
}

/** Legacy push source (`env.addSource`): call `userFunction.run(sourceContext)`, `cancel()` to stop. */
export interface SourceFunctionOperatorSpec extends OperatorSpecBase {
  readonly kind: 'source-function';
  readonly userFunction: SourceFunction<unknown>;
}

/**
 * Split-based source (`env.fromSource`, `fromSequence`, `fromElements`, ...): the
 * runtime pulls `source.createReader(ctx).pollNext`, runs the records through
 * `watermarkStrategy` (timestamp assigner + generator) and snapshots the reader's
 * splits as the operator's state.
 */
export interface SourceOperatorSpec extends OperatorSpecBase {
  readonly kind: 'source';
  readonly source: Source<unknown, SourceSplit>;
  readonly watermarkStrategy: WatermarkStrategy<unknown>;
}

export interface MapOperatorSpec extends OperatorSpecBase {
  readonly kind: 'map';
  readonly userFunction: MapFunction<unknown, unknown>;
}

export interface FlatMapOperatorSpec extends OperatorSpecBase {
  readonly kind: 'flatMap';
  readonly userFunction: FlatMapFunction<unknown, unknown>;
}

export interface FilterOperatorSpec extends OperatorSpecBase {
  readonly kind: 'filter';
  readonly userFunction: FilterFunction<unknown>;
}

/** `DataStream.process` on a non-keyed stream: no keyed state, no timers (time queries work). */
export interface ProcessOperatorSpec extends OperatorSpecBase {
  readonly kind: 'process';
  readonly userFunction: ProcessFunctionLike<unknown, unknown>;
}

/** `KeyedStream.process`: keyed state, event- and processing-time timers calling `userFunction.onTimer`. */
export interface KeyedProcessOperatorSpec extends OperatorSpecBase {
  readonly kind: 'keyedProcess';
  readonly keySelector: AnyKeySelector;
  readonly userFunction: KeyedProcessFunctionLike<Key, unknown, unknown>;
}

/**
 * Keyed rolling reduce (`KeyedStream.reduce`, `sum`): per key, keep the
 * reduction of all records so far in keyed state and emit it after each record.
 */
export interface ReduceOperatorSpec extends OperatorSpecBase {
  readonly kind: 'reduce';
  readonly keySelector: AnyKeySelector;
  readonly userFunction: ReduceFunction<unknown>;
}

/**
 * What a window emits when it fires:
 * - 'reduce': incrementally reduced; emits the result, or hands it as the single
 *   element to `processWindowFunction` when present;
 * - 'aggregate': incrementally aggregated (accumulator in state); emits
 *   `getResult`, or hands it to `processWindowFunction` when present;
 * - 'process': all elements buffered, then `processWindowFunction.process`.
 */
export type WindowFunctionSpec =
  | { readonly type: 'reduce'; readonly reduceFunction: ReduceFunction<unknown>; readonly processWindowFunction?: ProcessWindowFunctionLike<unknown, unknown, Key> }
  | { readonly type: 'aggregate'; readonly aggregateFunction: AggregateFunction<unknown, unknown, unknown>; readonly processWindowFunction?: ProcessWindowFunctionLike<unknown, unknown, Key> }
  | { readonly type: 'process'; readonly processWindowFunction: ProcessWindowFunctionLike<unknown, unknown, Key> };

/**
 * `KeyedStream.window(assigner)...`: per key and window, fire when the
 * (event- or processing-) time passes `window.maxTimestamp()`; elements for an
 * event-time window whose `maxTimestamp() + allowedLateness` is already behind
 * the watermark are late: dropped, or emitted to `lateDataOutputTag` when set.
 */
export interface WindowOperatorSpec extends OperatorSpecBase {
  readonly kind: 'window';
  readonly keySelector: AnyKeySelector;
  readonly assigner: WindowAssigner;
  /** Milliseconds; 0 unless `allowedLateness` was called. */
  readonly allowedLateness: number;
  readonly lateDataOutputTag?: OutputTag<unknown>;
  readonly windowFunction: WindowFunctionSpec;
}

/** `assignTimestampsAndWatermarks`: re-stamps records and emits watermarks by the strategy. */
export interface TimestampsAndWatermarksOperatorSpec extends OperatorSpecBase {
  readonly kind: 'timestamps-watermarks';
  readonly watermarkStrategy: WatermarkStrategy<unknown>;
}

/** Legacy sink (`addSink`): `userFunction.invoke(value, ctx)` per record. */
export interface SinkFunctionOperatorSpec extends OperatorSpecBase {
  readonly kind: 'sink-function';
  readonly userFunction: SinkFunction<unknown>;
}

/** `sinkTo(sink)`: one `sink.createWriter(ctx)` per subtask, driven as documented in sink.ts. */
export interface SinkOperatorSpec extends OperatorSpecBase {
  readonly kind: 'sink';
  readonly sink: Sink<unknown>;
}

/**
 * `print()` / `printToErr()`: writes `String(value)` lines to the target, prefixed
 * as Flink's PrintSinkFunction does: "<sinkIdentifier>:<subtask+1>> " when
 * parallelism > 1 (just "<subtask+1>> " without identifier), "<sinkIdentifier>> "
 * with parallelism 1, nothing otherwise.
 */
export interface PrintOperatorSpec extends OperatorSpecBase {
  readonly kind: 'print';
  readonly sinkIdentifier?: string;
  readonly target: 'stdout' | 'stderr';
}

export type OperatorSpec =
  | SourceFunctionOperatorSpec
  | SourceOperatorSpec
  | MapOperatorSpec
  | FlatMapOperatorSpec
  | FilterOperatorSpec
  | ProcessOperatorSpec
  | KeyedProcessOperatorSpec
  | ReduceOperatorSpec
  | WindowOperatorSpec
  | TimestampsAndWatermarksOperatorSpec
  | SinkFunctionOperatorSpec
  | SinkOperatorSpec
  | PrintOperatorSpec;

export type OperatorKind = OperatorSpec['kind'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The kind-specific part of a spec, as the DataStream API records it before ids and parallelism are known. */
export type OperatorSpecBody = DistributiveOmit<OperatorSpec, 'id' | 'uid' | 'name' | 'parallelism' | 'maxParallelism' | 'outputKeySelectors'>;

/**
 * Whether an operator keeps state that a restore must map back to it: keyed
 * operators (keyed process, reduce, window, and rich functions on keyed
 * streams, which may use keyed state), functions implementing
 * CheckpointedFunction, sources with positions, and stateful sinks.
 */
export function isStatefulOperator(body: OperatorSpecBody): boolean {
  switch (body.kind) {
    case 'source':
    case 'keyedProcess':
    case 'reduce':
    case 'window':
      return true;
    case 'source-function':
    case 'process':
      return isCheckpointedFunction(body.userFunction);
    case 'map':
    case 'flatMap':
    case 'filter':
    case 'sink-function':
      return isCheckpointedFunction(body.userFunction)
        || (body.keySelector !== undefined && isRichFunction(body.userFunction));
    case 'sink':
      return body.sink.stateful === true;
    case 'timestamps-watermarks':
    case 'print':
      return false;
  }
}
