import type {
  Collector, FilterFunction, FlatMapFunction, MapFunction, ProcessFunctionContext, ProcessFunctionLike,
  ReduceFunction, TimerService, ValueState,
} from '@tsflink/api';
import { ValueStateDescriptor } from '@tsflink/api';
import type { OperatorContext } from './operator-context.js';
import { StreamOperator } from './stream-operator.js';
import { NO_TIMESTAMP } from '../network/stream-item.js';

/** `map`: one output per input, keeping the input's timestamp. */
export class MapOperator extends StreamOperator {
  private readonly fn: MapFunction<unknown, unknown>;
  constructor(ctx: OperatorContext, fn: MapFunction<unknown, unknown>) { super(ctx, fn); this.fn = fn; }
  protected process(value: unknown, timestamp: number): void {
    this.output.collect(this.fn.map(value), timestamp);
  }
}

/** `filter`: forwards the records the predicate keeps. */
export class FilterOperator extends StreamOperator {
  private readonly fn: FilterFunction<unknown>;
  constructor(ctx: OperatorContext, fn: FilterFunction<unknown>) { super(ctx, fn); this.fn = fn; }
  protected process(value: unknown, timestamp: number): void {
    if (this.fn.filter(value)) this.output.collect(value, timestamp);
  }
}

/**
 * A Collector that stamps every emitted record with the timestamp of the input
 * being processed (one reusable object per operator, no per-record allocation).
 */
class TimestampedCollector implements Collector<unknown> {
  timestamp = NO_TIMESTAMP;
  constructor(private readonly operator: StreamOperator) {}
  collect(value: unknown): void {
    this.operator.output.collect(value, this.timestamp);
  }
}

/** `flatMap`: zero or more outputs per input. */
export class FlatMapOperator extends StreamOperator {
  private readonly fn: FlatMapFunction<unknown, unknown>;
  private readonly collector = new TimestampedCollector(this);
  constructor(ctx: OperatorContext, fn: FlatMapFunction<unknown, unknown>) { super(ctx, fn); this.fn = fn; }
  protected process(value: unknown, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn.flatMap(value, this.collector);
  }
}

/**
 * `process` (non-keyed) and `keyedProcess` without timers: the function sees the
 * record's timestamp, time queries and side outputs (side outputs arrive with the
 * windowing work; until then `output(tag, …)` is refused with a clear message).
 */
export class ProcessOperator extends StreamOperator {
  private readonly fn: ProcessFunctionLike<unknown, unknown>;
  private readonly collector = new TimestampedCollector(this);
  private readonly context: ProcessFunctionContext & { getCurrentKey(): unknown };

  constructor(ctx: OperatorContext, fn: ProcessFunctionLike<unknown, unknown>) {
    super(ctx, fn);
    this.fn = fn;
    const self = this;
    const timers: TimerService = {
      currentProcessingTime: () => ctx.now(),
      currentWatermark: () => self.currentWatermark,
      registerEventTimeTimer: () => { throw new Error('Timers are not supported by this version of tsflink yet.'); },
      registerProcessingTimeTimer: () => { throw new Error('Timers are not supported by this version of tsflink yet.'); },
      deleteEventTimeTimer: () => {},
      deleteProcessingTimeTimer: () => {},
    };
    this.context = {
      timestamp: () => (self.collector.timestamp === NO_TIMESTAMP ? undefined : self.collector.timestamp),
      timerService: () => timers,
      output: () => { throw new Error('Side outputs are not supported by this version of tsflink yet.'); },
      getCurrentKey: () => self.keyedBackend?.getCurrentKey(),
    };
  }

  protected process(value: unknown, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn.processElement(value, this.context, this.collector);
  }
}

/** Keyed rolling `reduce` (and `sum`): keeps the reduction per key and emits it after each record. */
export class ReduceOperator extends StreamOperator {
  private readonly fn: ReduceFunction<unknown>;
  private state!: ValueState<unknown>;

  constructor(ctx: OperatorContext, fn: ReduceFunction<unknown>) { super(ctx, fn); this.fn = fn; }

  override async open(): Promise<void> {
    await super.open();
    this.state = this.runtimeContext.getState(new ValueStateDescriptor<unknown>('_op_state'));
  }

  protected process(value: unknown, timestamp: number): void {
    const current = this.state.value();
    const next = current === undefined ? value : this.fn.reduce(current, value);
    this.state.update(next);
    this.output.collect(next, timestamp);
  }
}
