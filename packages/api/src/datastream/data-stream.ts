/**
 * The fluent stream API (Flink's `DataStream`, `SingleOutputStreamOperator` and
 * `KeyedStream`). Each call records a transformation in the environment;
 * nothing runs until the job is planned by `execute()`. The three classes live
 * together because each creates the others and two extend the first (split
 * into modules, the subclass definitions would depend on load order).
 */
import type { Key } from '../keys/key.js';
import type { ReduceFunction } from '../functions/functions.js';
import type {
  FilterFunction, FilterLambda, FlatMapFunction, FlatMapLambda, KeySelector, KeySelectorLambda,
  MapFunction, MapLambda,
} from '../functions/basic-functions.js';
import type { ProcessFunctionLike, ProcessLambda } from '../functions/process-function.js';
import type { KeyedProcessFunctionLike, KeyedProcessLambda } from '../functions/keyed-process-function.js';
import type { SinkFunction, SinkLambda } from '../functions/sink-function.js';
import type { OutputTag } from '../functions/output-tag.js';
import {
  describe, toFilterFunction, toFlatMapFunction, toKeyedProcessFunction, toKeySelector, toMapFunction,
  toProcessFunction, toReduceFunction, toSinkFunction,
} from '../functions/function-normalization.js';
import type { ReduceLambda } from '../functions/function-normalization.js';
import type { Sink } from '../sink/sink.js';
import { isSink } from '../sink/sink.js';
import { isWatermarkStrategy } from '../watermark/watermark-strategy.js';
import type { WatermarkStrategy } from '../watermark/watermark-strategy.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import type { PartitionerKind } from '../graph/job-graph.js';
import type { AnyKeySelector, OperatorSpecBody } from '../graph/operator-spec.js';
import { PartitionTransformation, SideOutputTransformation, UnionTransformation } from '../graph/transformation.js';
import type { OperatorTransformation, Transformation } from '../graph/transformation.js';
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { DataStreamSink } from './data-stream-sink.js';
import { createSumReducer } from './sum-reducer.js';
import { functionName } from './function-name.js';
import { WindowedStream } from './windowed-stream.js';

export class DataStream<T> {
  /** Phantom field so streams of different element types do not mix. */
  declare readonly __type?: T;

  /** @internal Streams are created by the environment and by other streams. */
  constructor(protected readonly environment: StreamExecutionEnvironment, readonly transformation: Transformation) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }

  map<R>(fn: MapFunction<T, R> | MapLambda<T, R>): SingleOutputStreamOperator<R> {
    return this.addOperator<R>('Map', { kind: 'map', userFunction: toMapFunction(fn), ...this.keyed() });
  }

  flatMap<R>(fn: FlatMapFunction<T, R> | FlatMapLambda<T, R>): SingleOutputStreamOperator<R> {
    return this.addOperator<R>('Flat Map', { kind: 'flatMap', userFunction: toFlatMapFunction(fn), ...this.keyed() });
  }

  filter(fn: FilterFunction<T> | FilterLambda<T>): SingleOutputStreamOperator<T> {
    return this.addOperator<T>('Filter', { kind: 'filter', userFunction: toFilterFunction(fn), ...this.keyed() });
  }

  /** A ProcessFunction on a non-keyed stream (no keyed state, no timers). */
  process<R>(fn: ProcessFunctionLike<T, R> | ProcessLambda<T, R>): SingleOutputStreamOperator<R> {
    return this.addOperator<R>('Process', { kind: 'process', userFunction: toProcessFunction(fn) });
  }

  /** Partitions by key: records with equal keys go to the same subtask, and keyed state is scoped by the key. */
  keyBy<K extends Key>(key: KeySelector<T, K> | KeySelectorLambda<T, K>): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this.environment, this, toKeySelector(key));
  }

  /** Round-robin over all downstream subtasks. */
  rebalance(): DataStream<T> {
    return this.partition('rebalance');
  }

  /** Uniformly random downstream subtask. */
  shuffle(): DataStream<T> {
    return this.partition('shuffle');
  }

  /** Round-robin over a local subset of downstream subtasks (Flink's rescale). */
  rescale(): DataStream<T> {
    return this.partition('rescale');
  }

  /** Every record to every downstream subtask. */
  broadcast(): DataStream<T> {
    return this.partition('broadcast');
  }

  /** Subtask i to subtask i; needs equal parallelism on both sides. */
  forward(): DataStream<T> {
    return this.partition('forward');
  }

  /** One stream with the records of this one and of `others`. */
  union(...others: DataStream<T>[]): DataStream<T> {
    for (const other of others) {
      if (!(other instanceof DataStream)) throw new TypeError(`union() expects DataStreams, got ${describe(other)}.`);
      if (other.environment !== this.environment) throw new Error('Cannot union streams of different execution environments.');
    }
    return new DataStream<T>(this.environment, new UnionTransformation([this.transformation, ...others.map((o) => o.transformation)]));
  }

  /** Re-stamps records and emits watermarks by `strategy`. */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    if (!isWatermarkStrategy(strategy)) {
      throw new TypeError(`assignTimestampsAndWatermarks() expects a WatermarkStrategy, got ${describe(strategy)}.`);
    }
    return this.addOperator<T>('Timestamps/Watermarks', {
      kind: 'timestamps-watermarks', watermarkStrategy: strategy as WatermarkStrategy<unknown>,
    });
  }

  /** Prints each record on standard output, prefixed as Flink does (see PrintOperatorSpec). */
  print(sinkIdentifier?: string): DataStreamSink<T> {
    return this.addSinkOperator('Print to Std. Out', {
      kind: 'print', target: 'stdout', ...(sinkIdentifier === undefined ? {} : { sinkIdentifier }),
    });
  }

  /** Prints each record on standard error. */
  printToErr(sinkIdentifier?: string): DataStreamSink<T> {
    return this.addSinkOperator('Print to Std. Err', {
      kind: 'print', target: 'stderr', ...(sinkIdentifier === undefined ? {} : { sinkIdentifier }),
    });
  }

  /** A legacy SinkFunction (or lambda) called for each record. */
  addSink(fn: SinkFunction<T> | SinkLambda<T>): DataStreamSink<T> {
    return this.addSinkOperator('Unnamed', { kind: 'sink-function', userFunction: toSinkFunction(fn), ...this.keyed() });
  }

  /** A split-era Sink (one writer per subtask), e.g. the connectors' FileSink. */
  sinkTo(sink: Sink<T>): DataStreamSink<T> {
    if (!isSink(sink)) throw new TypeError(`sinkTo() expects a Sink: an object with createWriter(), got ${describe(sink)}.`);
    return this.addSinkOperator(functionName(sink, 'Sink'), { kind: 'sink', sink: sink as Sink<unknown> });
  }

  /** The key selector operators on this stream are keyed by; only keyed streams have one. */
  protected stateKeySelector(): AnyKeySelector | undefined {
    return undefined;
  }

  protected partition(partitioner: PartitionerKind): DataStream<T> {
    return new DataStream<T>(this.environment, new PartitionTransformation(this.transformation, partitioner));
  }

  /** Adds a one-input operator reading this stream. */
  protected addOperator<R>(name: string, body: OperatorSpecBody): SingleOutputStreamOperator<R> {
    const t = this.environment.addOperator({ role: 'operator', inputs: [this.transformation], body, name });
    return new SingleOutputStreamOperator<R>(this.environment, t);
  }

  private addSinkOperator(name: string, body: OperatorSpecBody): DataStreamSink<T> {
    return new DataStreamSink<T>(this.environment.addOperator({ role: 'sink', inputs: [this.transformation], body, name }));
  }

  private keyed(): { keySelector?: AnyKeySelector } {
    const keySelector = this.stateKeySelector();
    return keySelector === undefined ? {} : { keySelector };
  }
}

/** The output of one operator: configure it (uid, name, parallelism, chaining) and read its side outputs. */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  declare readonly transformation: OperatorTransformation;

  /** @internal */
  constructor(environment: StreamExecutionEnvironment, transformation: OperatorTransformation) {
    super(environment, transformation);
  }

  /**
   * Sets the uid whose hash becomes the operator id: the operator's state then
   * maps to it across topology changes. Must be unique within the job.
   */
  uid(uid: string): this {
    this.transformation.setUid(uid);
    return this;
  }

  /** Sets the operator id directly (32 hex chars), e.g. to match the id of an old savepoint. */
  setUidHash(uidHash: string): this {
    this.transformation.setUidHash(uidHash);
    return this;
  }

  name(name: string): this {
    this.transformation.setName(name);
    return this;
  }

  /** The operator's display name, e.g. "Map" or "Source: numbers". */
  getName(): string {
    return this.transformation.displayName;
  }

  setParallelism(parallelism: number): this {
    this.transformation.setParallelism(parallelism);
    return this;
  }

  /** Sets the max parallelism (number of key groups) of this operator's state. */
  setMaxParallelism(maxParallelism: number): this {
    this.transformation.setMaxParallelism(maxParallelism);
    return this;
  }

  /** Starts a new chain here: this operator is not chained to its input, its outputs may chain to it. */
  startNewChain(): this {
    this.transformation.setChainingStrategy('head');
    return this;
  }

  /** This operator chains with nothing, neither its input nor its outputs. */
  disableChaining(): this {
    this.transformation.setChainingStrategy('never');
    return this;
  }

  /** The records this operator emitted with `ctx.output(tag, value)` (or late window data). */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    return new DataStream<X>(this.environment, new SideOutputTransformation(this.transformation, tag as OutputTag<unknown>));
  }
}

/** The stream of non-parallel or parallel sources. */
export type DataStreamSource<T> = SingleOutputStreamOperator<T>;

/**
 * A stream partitioned by key (Flink's `KeyedStream`). Operators on it get the
 * key selector: rich functions may use keyed state, `process` takes a
 * KeyedProcessFunction with timers, and `reduce`/`sum`/`window` aggregate per key.
 */
export class KeyedStream<T, K extends Key = Key> extends DataStream<T> {
  /** @internal Created by `DataStream.keyBy`. */
  constructor(environment: StreamExecutionEnvironment, input: DataStream<T>, private readonly keySelector: KeySelector<T, K>) {
    super(environment, new PartitionTransformation(input.transformation, 'hash', keySelector as AnyKeySelector));
  }

  getKeySelector(): KeySelector<T, K> {
    return this.keySelector;
  }

  /** A KeyedProcessFunction: keyed state, timers (`onTimer`) and `ctx.getCurrentKey()`. */
  override process<R>(fn: KeyedProcessFunctionLike<K, T, R> | KeyedProcessLambda<K, T, R>): SingleOutputStreamOperator<R> {
    return this.addOperator<R>('KeyedProcess', {
      kind: 'keyedProcess',
      userFunction: toKeyedProcessFunction(fn) as KeyedProcessFunctionLike<Key, unknown, unknown>,
      keySelector: this.keySelector as AnyKeySelector,
    });
  }

  /** Rolling reduce: emits, for each record, the reduction of all records of its key so far. */
  reduce(fn: ReduceFunction<T> | ReduceLambda<T>): SingleOutputStreamOperator<T> {
    return this.addOperator<T>('Keyed Reduce', {
      kind: 'reduce', userFunction: toReduceFunction(fn) as ReduceFunction<unknown>, keySelector: this.keySelector as AnyKeySelector,
    });
  }

  /**
   * Rolling sum per key: of the records themselves (numbers), of a tuple field
   * (`sum(1)`) or of an object property (`sum('count')`).
   */
  sum(field?: number | string): SingleOutputStreamOperator<T> {
    return this.addOperator<T>('Keyed Aggregation', {
      kind: 'reduce', userFunction: createSumReducer<unknown>(field), keySelector: this.keySelector as AnyKeySelector,
    });
  }

  /** Groups each key's records into windows; finish with reduce, aggregate or process. */
  window(assigner: WindowAssigner): WindowedStream<T, K> {
    return new WindowedStream<T, K>(this, assigner);
  }

  protected override stateKeySelector(): AnyKeySelector {
    return this.keySelector as AnyKeySelector;
  }

  /** A keyed stream's partitioning is its key. */
  protected override partition(_partitioner: PartitionerKind): never {
    throw new Error('Cannot override partitioning for KeyedStream.');
  }
}
