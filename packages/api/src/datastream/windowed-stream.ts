/**
 * A keyed stream grouped into windows (Flink's `WindowedStream`). Configure
 * lateness and the late-data side output, then finish with `reduce`,
 * `aggregate` or `process`, which add one 'window' operator (see
 * WindowOperatorSpec for its semantics).
 */
import type { Key } from '../keys/key.js';
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import type { OutputTag } from '../functions/output-tag.js';
import { checkAggregateFunction, normalize, toReduceFunction } from '../functions/function-normalization.js';
import type { ReduceLambda } from '../functions/function-normalization.js';
import type { ProcessWindowFunctionLike, ProcessWindowLambda } from '../windowing/process-window-function.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import type { AnyKeySelector, WindowFunctionSpec } from '../graph/operator-spec.js';
import { functionName } from './function-name.js';
import { SingleOutputStreamOperator } from './data-stream.js';
import type { KeyedStream } from './data-stream.js';

type WindowFunctionArg<IN, OUT, K extends Key> = ProcessWindowFunctionLike<IN, OUT, K> | ProcessWindowLambda<IN, OUT, K>;

export class WindowedStream<T, K extends Key> {
  private lateness = 0;
  private lateDataTag: OutputTag<T> | undefined;

  /** @internal Created by `KeyedStream.window`. */
  constructor(private readonly input: KeyedStream<T, K>, readonly assigner: WindowAssigner) {
    if (assigner === null || typeof assigner !== 'object' || typeof assigner.assignWindows !== 'function') {
      throw new TypeError('window() expects a window assigner such as TumblingEventTimeWindows.of(Time.seconds(5)).');
    }
  }

  /** Keeps event-time windows for `lateness` ms after the watermark passed their end; late records update and re-fire them. */
  allowedLateness(lateness: number): this {
    if (!Number.isFinite(lateness) || lateness < 0) throw new Error('The allowed lateness cannot be negative.');
    this.lateness = lateness;
    return this;
  }

  /** Records too late for their windows go to `tag` instead of being dropped; read it with `getSideOutput(tag)`. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateDataTag = tag;
    return this;
  }

  /** Reduces each window incrementally; the optional window function sees the result (and the window). */
  reduce(fn: ReduceFunction<T> | ReduceLambda<T>): SingleOutputStreamOperator<T>;
  reduce<R>(fn: ReduceFunction<T> | ReduceLambda<T>, windowFunction: WindowFunctionArg<T, R, K>): SingleOutputStreamOperator<R>;
  reduce<R>(fn: ReduceFunction<T> | ReduceLambda<T>, windowFunction?: WindowFunctionArg<T, R, K>): SingleOutputStreamOperator<T | R> {
    const reduceFunction = toReduceFunction(fn) as ReduceFunction<unknown>;
    const process = windowFunction === undefined ? undefined : toWindowFunction(windowFunction);
    return this.build(functionName(reduceFunction, 'ReduceFunction'), {
      type: 'reduce', reduceFunction, ...(process === undefined ? {} : { processWindowFunction: process }),
    });
  }

  /** Aggregates each window incrementally; the optional window function sees the result (and the window). */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): SingleOutputStreamOperator<V>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction: WindowFunctionArg<V, R, K>): SingleOutputStreamOperator<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction?: WindowFunctionArg<V, R, K>): SingleOutputStreamOperator<V | R> {
    const aggregateFunction = checkAggregateFunction(fn) as AggregateFunction<unknown, unknown, unknown>;
    const process = windowFunction === undefined ? undefined : toWindowFunction(windowFunction);
    return this.build(functionName(aggregateFunction, 'AggregateFunction'), {
      type: 'aggregate', aggregateFunction, ...(process === undefined ? {} : { processWindowFunction: process }),
    });
  }

  /** Buffers each window's records and hands them all to `fn` when it fires. */
  process<R>(fn: WindowFunctionArg<T, R, K>): SingleOutputStreamOperator<R> {
    const processWindowFunction = toWindowFunction(fn);
    return this.build(functionName(processWindowFunction, 'ProcessWindowFunction'), { type: 'process', processWindowFunction });
  }

  private build<R>(functionLabel: string, windowFunction: WindowFunctionSpec): SingleOutputStreamOperator<R> {
    const environment = this.input.getExecutionEnvironment();
    const t = environment.addOperator({
      role: 'operator',
      inputs: [this.input.transformation],
      name: `Window(${this.assigner.toString()}, ${functionLabel})`,
      body: {
        kind: 'window',
        keySelector: this.input.getKeySelector() as AnyKeySelector,
        assigner: this.assigner,
        allowedLateness: this.lateness,
        ...(this.lateDataTag === undefined ? {} : { lateDataOutputTag: this.lateDataTag as OutputTag<unknown> }),
        windowFunction,
      },
    });
    return new SingleOutputStreamOperator<R>(environment, t);
  }
}

function toWindowFunction<IN, OUT, K extends Key>(fn: WindowFunctionArg<IN, OUT, K>): ProcessWindowFunctionLike<unknown, unknown, Key> {
  return normalize(fn, 'process', 'window process()', 'a ProcessWindowFunction');
}
