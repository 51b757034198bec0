/**
 * `@tsflink/api`: what a job file imports. The DataStream API, user function
 * types, state descriptors, sources/sinks contracts, watermarks and windows,
 * checkpoint settings, and the planner that turns a job into a JobGraph. No
 * I/O, no runtime: the runtime consumes the `PlannedJob` this package builds.
 */

// Keys
export { validateKey } from './keys/key.js';
export type { Key } from './keys/key.js';

// State
export type {
  State, ValueState, ListState, MapState, ReducingState, AggregatingState,
} from './state/state.js';
export {
  StateDescriptor, ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor,
  ReducingStateDescriptor, AggregatingStateDescriptor,
} from './state/state-descriptor.js';
export type { StateKind } from './state/state-descriptor.js';

// Functions
export type {
  ReduceFunction, AggregateFunction, RuntimeContext, OperatorStateStore, KeyedStateStore,
  FunctionInitializationContext, FunctionSnapshotContext, CheckpointedFunction, CheckpointListener,
  AnyStateDescriptor,
} from './functions/functions.js';
export type { Collector } from './functions/collector.js';
export { OutputTag } from './functions/output-tag.js';
export type {
  MapFunction, FlatMapFunction, FilterFunction, KeySelector,
  MapLambda, FlatMapLambda, FilterLambda, KeySelectorLambda,
} from './functions/basic-functions.js';
export {
  AbstractRichFunction, RichMapFunction, RichFlatMapFunction, RichFilterFunction,
} from './functions/rich-function.js';
export type { RichFunction } from './functions/rich-function.js';
export { TimeDomain } from './functions/timer-service.js';
export type { TimerService } from './functions/timer-service.js';
export { ProcessFunction } from './functions/process-function.js';
export type { ProcessFunctionContext, ProcessFunctionLike, ProcessLambda } from './functions/process-function.js';
export { KeyedProcessFunction } from './functions/keyed-process-function.js';
export type {
  KeyedProcessFunctionContext, OnTimerContext, KeyedProcessFunctionLike, KeyedProcessLambda,
} from './functions/keyed-process-function.js';
export { RichSinkFunction } from './functions/sink-function.js';
export type { SinkFunction, SinkFunctionContext, SinkLambda } from './functions/sink-function.js';
export { RichSourceFunction, RichParallelSourceFunction } from './functions/source-function.js';
export type { SourceFunction, SourceContext, ParallelSourceFunction } from './functions/source-function.js';
export {
  openFunction, closeFunction, isRichFunction, isCheckpointedFunction, isCheckpointListener, isParallelSourceFunction,
} from './functions/function-lifecycle.js';
export {
  toMapFunction, toFlatMapFunction, toFilterFunction, toKeySelector, toReduceFunction, toProcessFunction,
  toKeyedProcessFunction, toSinkFunction, checkAggregateFunction, checkSourceFunction,
} from './functions/function-normalization.js';
export type { ReduceLambda } from './functions/function-normalization.js';

// Split-based sources and sinks
export { Boundedness, InputStatus, isSplitSource } from './source/source.js';
export type { Source, SourceSplit, SourceReader, SourceReaderContext, ReaderOutput } from './source/source.js';
export { IndexRangeSource, IndexRangeReader, INDEX_RANGE_BATCH_SIZE } from './source/index-range-source.js';
export type { IndexRangeSplit } from './source/index-range-source.js';
export { NumberSequenceSource } from './source/number-sequence-source.js';
export { FromElementsSource } from './source/from-elements-source.js';
export { isSink } from './sink/sink.js';
export type { Sink, SinkWriter, SinkWriterContext, SinkWriteContext } from './sink/sink.js';

// Watermarks
export { MIN_WATERMARK, MAX_WATERMARK } from './watermark/watermark.js';
export type {
  WatermarkOutput, WatermarkGenerator, TimestampAssigner, TimestampAssignerLambda,
} from './watermark/watermark.js';
export { WatermarkStrategy, isWatermarkStrategy } from './watermark/watermark-strategy.js';
export type { WatermarkGeneratorKind } from './watermark/watermark-strategy.js';
export {
  NoWatermarksGenerator, BoundedOutOfOrdernessWatermarks, WatermarksWithIdleness,
} from './watermark/watermark-generators.js';

// Windows
export { Time } from './windowing/time.js';
export { TimeWindow } from './windowing/time-window.js';
export {
  TumblingEventTimeWindows, TumblingProcessingTimeWindows, SlidingEventTimeWindows, SlidingProcessingTimeWindows,
  EventTimeSessionWindows, ProcessingTimeSessionWindows,
} from './windowing/window-assigners.js';
export type { WindowAssigner, WindowAssignerType, WindowTimeDomain } from './windowing/window-assigners.js';
export { ProcessWindowFunction } from './windowing/process-window-function.js';
export type {
  ProcessWindowFunctionContext, ProcessWindowFunctionLike, ProcessWindowLambda,
} from './windowing/process-window-function.js';

// Checkpointing and restarts
export { CheckpointConfig, MINIMAL_CHECKPOINT_TIME, DEFAULT_CHECKPOINT_TIMEOUT } from './execution/checkpoint-config.js';
export { CheckpointingMode } from './execution/checkpointing-mode.js';
export { ExternalizedCheckpointCleanup } from './execution/externalized-checkpoint-cleanup.js';
export { RestartStrategies } from './execution/restart-strategies.js';

// Streams and environment
export { DataStream, SingleOutputStreamOperator, KeyedStream } from './datastream/data-stream.js';
export type { DataStreamSource } from './datastream/data-stream.js';
export { DataStreamSink } from './datastream/data-stream-sink.js';
export { WindowedStream } from './datastream/windowed-stream.js';
export { StreamExecutionEnvironment, DEFAULT_JOB_NAME } from './environment/stream-execution-environment.js';
export type { StreamExecutionEnvironmentOptions, JobExecutor } from './environment/stream-execution-environment.js';
export { runInPlanMode } from './environment/plan-mode.js';
export { ProgramPlanCaptured } from './environment/plan-context.js';
export type { PlanModeOptions } from './environment/plan-context.js';
export { registerBuiltinSources } from './environment/builtin-sources.js';
export type { BuiltinSourceFactories, BuiltinSource } from './environment/builtin-sources.js';

// The plan
export type {
  JobGraph, JobVertex, JobEdge, OperatorDescriptor, JobCheckpointSettings, RestartStrategySettings,
  PartitionerKind, CheckpointingModeName, ExternalizedCheckpointCleanupName,
} from './graph/job-graph.js';
export type {
  OperatorSpec, OperatorSpecBase, OperatorKind, OperatorSpecBody, AnyKeySelector, WindowFunctionSpec,
  SourceFunctionOperatorSpec, SourceOperatorSpec, MapOperatorSpec, FlatMapOperatorSpec, FilterOperatorSpec,
  ProcessOperatorSpec, KeyedProcessOperatorSpec, ReduceOperatorSpec, WindowOperatorSpec,
  TimestampsAndWatermarksOperatorSpec, SinkFunctionOperatorSpec, SinkOperatorSpec, PrintOperatorSpec,
} from './graph/operator-spec.js';
export { isStatefulOperator } from './graph/operator-spec.js';
export type { PlannedJob } from './graph/planned-job.js';
export { describePlan } from './graph/describe-plan.js';
export {
  defaultMaxParallelism, DEFAULT_LOWER_BOUND_MAX_PARALLELISM, UPPER_BOUND_MAX_PARALLELISM,
} from './graph/parallelism.js';
