/**
 * The entry point of a job (Flink's `StreamExecutionEnvironment`): settings
 * (parallelism, checkpointing, restart strategy, chaining), sources, and
 * `execute()`, which plans the job.
 *
 * tsflink never runs a job inside the process that calls `main`: the CLI and
 * the TaskManagers run `main` in plan mode (`runInPlanMode`), where
 * `getExecutionEnvironment()` returns an environment whose `execute()` hands the
 * plan back. Anywhere else `execute()` explains that jobs run through `flink run`.
 */
import { CheckpointConfig } from '../execution/checkpoint-config.js';
import type { CheckpointingMode } from '../execution/checkpointing-mode.js';
import type { RestartStrategySettings } from '../graph/job-graph.js';
import type { PlannedJob } from '../graph/planned-job.js';
import { generatePlannedJob } from '../graph/job-graph-generator.js';
import { OperatorTransformation } from '../graph/transformation.js';
import type { OperatorTransformationInit } from '../graph/transformation.js';
import { checkMaxParallelism, checkParallelism } from '../graph/parallelism.js';
import type { ParallelSourceFunction, SourceFunction } from '../functions/source-function.js';
import { checkSourceFunction, describe } from '../functions/function-normalization.js';
import { isParallelSourceFunction } from '../functions/function-lifecycle.js';
import { isSplitSource } from '../source/source.js';
import type { Source, SourceSplit } from '../source/source.js';
import { FromElementsSource } from '../source/from-elements-source.js';
import { NumberSequenceSource } from '../source/number-sequence-source.js';
import { isWatermarkStrategy, WatermarkStrategy } from '../watermark/watermark-strategy.js';
import { SingleOutputStreamOperator } from '../datastream/data-stream.js';
import type { DataStreamSource } from '../datastream/data-stream.js';
import { builtinSourceFactory } from './builtin-sources.js';
import type { BuiltinSource } from './builtin-sources.js';
import { capturePlan, planContextStorage } from './plan-context.js';

/** Flink's default job name. */
export const DEFAULT_JOB_NAME = 'Flink Streaming Job';

/**
 * What `execute()` does with the plan. It may throw synchronously (plan mode
 * does, to end `main` at once even when the caller does not await).
 */
export type JobExecutor = (plan: PlannedJob) => Promise<void>;

export interface StreamExecutionEnvironmentOptions {
  /** Default parallelism of operators (1 unless given). */
  readonly parallelism?: number;
  /** Max parallelism of all operators that set none. */
  readonly maxParallelism?: number;
  /** Defaults to one that explains that jobs run through `flink run`. */
  readonly executor?: JobExecutor;
}

const executeOutsideCluster: JobExecutor = () => {
  throw new Error(
    'StreamExecutionEnvironment.execute() was called outside a cluster. tsflink jobs run through `flink run <job file>`: ' +
    'the CLI runs main in plan mode and submits the job to the JobManager.',
  );
};

export class StreamExecutionEnvironment {
  private parallelism: number;
  private maxParallelism: number | undefined;
  private chainingEnabled = true;
  private restartStrategy: RestartStrategySettings | undefined;
  private readonly checkpointConfig = new CheckpointConfig();
  private readonly operators: OperatorTransformation[] = [];
  private readonly executor: JobExecutor;

  constructor(options: StreamExecutionEnvironmentOptions = {}) {
    this.parallelism = checkParallelism(options.parallelism ?? 1);
    this.maxParallelism = options.maxParallelism === undefined ? undefined : checkMaxParallelism(options.maxParallelism);
    this.executor = options.executor ?? executeOutsideCluster;
  }

  /**
   * In plan mode, the environment of the running plan (the same instance for
   * every call within one `main`); otherwise a new environment whose `execute()`
   * refuses to run. Call it inside `main`, not at module top level.
   */
  static getExecutionEnvironment(): StreamExecutionEnvironment {
    const context = planContextStorage.getStore();
    if (context === undefined) return new StreamExecutionEnvironment();
    context.environment ??= new StreamExecutionEnvironment({
      parallelism: context.options.defaultParallelism,
      ...(context.options.defaultMaxParallelism === undefined ? {} : { maxParallelism: context.options.defaultMaxParallelism }),
      executor: (plan) => capturePlan(context, plan),
    });
    return context.environment;
  }

  // ---- settings ----

  setParallelism(parallelism: number): this {
    this.parallelism = checkParallelism(parallelism);
    return this;
  }

  getParallelism(): number {
    return this.parallelism;
  }

  /** Sets the max parallelism (number of key groups) of every operator that sets none. */
  setMaxParallelism(maxParallelism: number): this {
    this.maxParallelism = checkMaxParallelism(maxParallelism);
    return this;
  }

  /** The max parallelism set for the job, or undefined when derived per vertex from its parallelism. */
  getMaxParallelism(): number | undefined {
    return this.maxParallelism;
  }

  /** Every operator gets its own task: no chaining anywhere in the job. */
  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  isChainingEnabled(): boolean {
    return this.chainingEnabled;
  }

  /** Enables periodic checkpoints every `intervalMs` (at least 10 ms). */
  enableCheckpointing(intervalMs: number, mode?: CheckpointingMode): this {
    this.checkpointConfig.setCheckpointInterval(intervalMs);
    if (mode !== undefined) this.checkpointConfig.setCheckpointingMode(mode);
    return this;
  }

  getCheckpointConfig(): CheckpointConfig {
    return this.checkpointConfig;
  }

  /** Overrides the cluster's restart strategy; see `RestartStrategies`. */
  setRestartStrategy(strategy: RestartStrategySettings): this {
    if (strategy === null || typeof strategy !== 'object' || !['none', 'fixed-delay', 'exponential-delay'].includes(strategy.type)) {
      throw new TypeError(`setRestartStrategy() expects a strategy from RestartStrategies, got ${describe(strategy)}.`);
    }
    this.restartStrategy = strategy;
    return this;
  }

  getRestartStrategy(): RestartStrategySettings | undefined {
    return this.restartStrategy;
  }

  // ---- sources ----

  /**
   * A legacy SourceFunction. It runs with parallelism 1 unless it is a
   * `ParallelSourceFunction` (e.g. extends `RichParallelSourceFunction`).
   */
  addSource<T>(fn: SourceFunction<T> | ParallelSourceFunction<T>, sourceName = 'Custom Source'): DataStreamSource<T> {
    checkSourceFunction(fn);
    return this.addSourceOperator<T>(sourceName, { kind: 'source-function', userFunction: fn as SourceFunction<unknown> }, !isParallelSourceFunction(fn));
  }

  /** A split-based Source, e.g. `DataGeneratorSource`; the runtime pulls it. */
  fromSource<T>(source: Source<T, SourceSplit>, watermarkStrategy: WatermarkStrategy<T>, sourceName: string): DataStreamSource<T> {
    return this.addSplitSource(source, watermarkStrategy, sourceName, false);
  }

  /** The numbers `from` to `to` (inclusive), read in parallel. */
  fromSequence(from: number, to: number): DataStreamSource<number> {
    return this.fromSource(new NumberSequenceSource(from, to), WatermarkStrategy.noWatermarks(), 'Sequence Source');
  }

  /** The given elements, in order (parallelism 1, as in Flink). */
  fromElements<T>(...elements: T[]): DataStreamSource<T> {
    if (elements.length === 0) throw new Error('fromElements needs at least one element as argument');
    return this.fromCollection(elements);
  }

  /** The elements of `collection`, in order (parallelism 1, as in Flink). */
  fromCollection<T>(collection: readonly T[]): DataStreamSource<T> {
    if (!Array.isArray(collection)) throw new TypeError(`fromCollection() expects an array, got ${describe(collection)}.`);
    return this.addSplitSource(new FromElementsSource(collection), WatermarkStrategy.noWatermarks<T>(), 'Collection Source', true);
  }

  /** The lines of a text file; needs `@tsflink/connectors` loaded (the CLI and TaskManagers load it). */
  readTextFile(path: string, charsetName = 'UTF-8'): DataStreamSource<string> {
    const source = builtinSourceFactory('readTextFile')(path, charsetName);
    return this.addBuiltinSource(source, 'Custom File Source', false);
  }

  /** Text from a socket, split at `delimiter`, with parallelism 1; needs `@tsflink/connectors` loaded. */
  socketTextStream(hostname: string, port: number, delimiter = '\n', maxRetry = 0): DataStreamSource<string> {
    const source = builtinSourceFactory('socketTextStream')(hostname, port, delimiter, maxRetry);
    return this.addBuiltinSource(source, 'Socket Stream', true);
  }

  // ---- planning ----

  /**
   * Plans the job and hands the plan to the executor: in plan mode this ends
   * `main` (see `runInPlanMode`); elsewhere it throws, since jobs run through
   * `flink run`. Planning errors (duplicate uids, bad forward edges, ...) are
   * thrown synchronously.
   */
  execute(jobName: string = DEFAULT_JOB_NAME): Promise<void> {
    return this.executor(this.buildPlan(jobName));
  }

  /** Builds the JobGraph and operator specs of what was defined so far, without executing. */
  buildPlan(jobName: string = DEFAULT_JOB_NAME): PlannedJob {
    return generatePlannedJob({
      jobName,
      operators: this.operators,
      defaultParallelism: this.parallelism,
      ...(this.maxParallelism === undefined ? {} : { maxParallelism: this.maxParallelism }),
      chainingEnabled: this.chainingEnabled,
      checkpoint: this.checkpointConfig.toSettings(),
      ...(this.restartStrategy === undefined ? {} : { restartStrategy: this.restartStrategy }),
    });
  }

  /**
   * @internal Records an operator of this job; used by the stream classes (as
   * Flink's `addOperator`).
   */
  addOperator(init: Omit<OperatorTransformationInit, 'id'>): OperatorTransformation {
    const transformation = new OperatorTransformation({ ...init, id: this.operators.length });
    this.operators.push(transformation);
    return transformation;
  }

  private addSplitSource<T>(
    source: Source<T, SourceSplit>, watermarkStrategy: WatermarkStrategy<T>, sourceName: string, nonParallel: boolean,
  ): DataStreamSource<T> {
    if (!isSplitSource(source)) {
      throw new TypeError(`fromSource() expects a Source with getBoundedness(), createSplits() and createReader(), got ${describe(source)}.`);
    }
    if (!isWatermarkStrategy(watermarkStrategy)) {
      throw new TypeError(`fromSource() expects a WatermarkStrategy as second argument (e.g. WatermarkStrategy.noWatermarks()), got ${describe(watermarkStrategy)}.`);
    }
    if (typeof sourceName !== 'string' || sourceName.length === 0) throw new Error('fromSource() needs a source name.');
    return this.addSourceOperator<T>(sourceName, {
      kind: 'source', source: source as Source<unknown, SourceSplit>, watermarkStrategy: watermarkStrategy as WatermarkStrategy<unknown>,
    }, nonParallel);
  }

  private addBuiltinSource(source: BuiltinSource<string>, sourceName: string, nonParallel: boolean): DataStreamSource<string> {
    if (isSplitSource(source)) return this.addSplitSource(source as Source<string, SourceSplit>, WatermarkStrategy.noWatermarks<string>(), sourceName, nonParallel);
    checkSourceFunction(source as SourceFunction<string>);
    return this.addSourceOperator<string>(sourceName, { kind: 'source-function', userFunction: source as SourceFunction<unknown> }, nonParallel);
  }

  private addSourceOperator<T>(
    name: string, body: OperatorTransformationInit['body'], nonParallel: boolean,
  ): DataStreamSource<T> {
    const t = this.addOperator({ role: 'source', inputs: [], body, name, nonParallel });
    return new SingleOutputStreamOperator<T>(this, t);
  }
}
