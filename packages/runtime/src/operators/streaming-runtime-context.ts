import type {
  AggregatingState, AggregatingStateDescriptor, ListState, ListStateDescriptor, MapState, MapStateDescriptor,
  ReducingState, ReducingStateDescriptor, RuntimeContext, ValueState, ValueStateDescriptor,
} from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type { OperatorContext } from './operator-context.js';

/** Flink's wording when keyed state is asked for on a non-keyed stream. */
export const KEYED_STATE_ONLY_ON_KEYED_STREAM =
  "Keyed state can only be used on a 'keyed stream', i.e., after a 'keyBy()' operation.";

/** The RuntimeContext a rich function gets: task facts and keyed state of its own operator. */
export class StreamingRuntimeContext implements RuntimeContext {
  constructor(private readonly ctx: OperatorContext, private readonly keyed: () => HeapKeyedStateBackend | undefined) {}

  getTaskName(): string { return this.ctx.taskName; }
  getIndexOfThisSubtask(): number { return this.ctx.subtaskIndex; }
  getNumberOfParallelSubtasks(): number { return this.ctx.parallelism; }
  getMaxNumberOfParallelSubtasks(): number { return this.ctx.maxParallelism; }
  getAttemptNumber(): number { return this.ctx.attemptNumber; }
  getJobId(): string { return this.ctx.jobId; }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> { return this.backend().getState(descriptor); }
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> { return this.backend().getListState(descriptor); }
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> { return this.backend().getMapState(descriptor); }
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> { return this.backend().getReducingState(descriptor); }
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.backend().getAggregatingState(descriptor);
  }

  private backend(): HeapKeyedStateBackend {
    const b = this.keyed();
    if (!b) throw new Error(KEYED_STATE_ONLY_ON_KEYED_STREAM);
    return b;
  }
}
