/**
 * Contracts between user functions and the runtime that are shared by the API
 * and the runtime packages. The API helper adds the rest of the function family
 * (MapFunction, Rich* classes, sources, sinks) next to these.
 */
import type { StateDescriptor } from '../state/state-descriptor.js';
import type {
  AggregatingState, ListState, MapState, ReducingState, ValueState,
} from '../state/state.js';
import type {
  AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor,
  ReducingStateDescriptor, ValueStateDescriptor,
} from '../state/state-descriptor.js';

export interface ReduceFunction<T> {
  reduce(a: T, b: T): T;
}

export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/** Given to `open(ctx)` of Rich functions; keyed state is only available on keyed streams. */
export interface RuntimeContext {
  getTaskName(): string;
  getIndexOfThisSubtask(): number;
  getNumberOfParallelSubtasks(): number;
  getMaxNumberOfParallelSubtasks(): number;
  getAttemptNumber(): number;
  getJobId(): string;
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/** Operator (non-keyed) state: lists redistributed round-robin, or union lists given whole to every subtask. */
export interface OperatorStateStore {
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
}

/** A keyed-state store for `CheckpointedFunction`s on keyed streams. */
export interface KeyedStateStore {
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
}

export interface FunctionInitializationContext {
  /** True when the task was restored from a checkpoint or savepoint. */
  isRestored(): boolean;
  getOperatorStateStore(): OperatorStateStore;
  getKeyedStateStore(): KeyedStateStore | undefined;
}

export interface FunctionSnapshotContext {
  getCheckpointId(): number;
  getCheckpointTimestamp(): number;
}

/** Functions that keep operator state (for example source positions) implement this. */
export interface CheckpointedFunction {
  snapshotState(context: FunctionSnapshotContext): void | Promise<void>;
  initializeState(context: FunctionInitializationContext): void | Promise<void>;
}

export interface CheckpointListener {
  notifyCheckpointComplete(checkpointId: number): void | Promise<void>;
  notifyCheckpointAborted?(checkpointId: number): void | Promise<void>;
}

/** Anything that can be passed where a state descriptor is expected. */
export type AnyStateDescriptor = StateDescriptor<unknown>;
