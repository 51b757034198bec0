import {
  TimeDomain,
  type Collector, type Key, type KeyedProcessFunctionLike, type KeyedProcessOperatorSpec, type OnTimerContext,
  type OutputTag, type TimerService,
} from '@tsflink/api';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import type { OperatorContext } from '../operators/operator-context.js';
import type { Output } from '../operators/output.js';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type { InternalTimer, InternalTimerService } from './internal-timer-service.js';
import { KeyedTimerOperator } from './keyed-timer-operator.js';
import { VOID_NAMESPACE, VOID_NAMESPACE_CODEC, type VoidNamespace } from './namespace-codec.js';
import type { OperatorServices, SideOutputEmitter } from './operator-services.js';

/** Name of the keyed process function's timer service (Flink's "user-timers"). */
export const USER_TIMERS = 'user-timers';

/**
 * `KeyedStream.process(KeyedProcessFunction)` (Flink's `KeyedProcessOperator`):
 * `processElement` per record with the record's key current, event- and
 * processing-time timers per key calling `onTimer` with the timer's key current,
 * side outputs, and keyed state through the function's RuntimeContext.
 *
 * Records emitted by `processElement` carry the input record's timestamp; those
 * emitted by `onTimer` carry the timer's timestamp for event-time timers and no
 * timestamp for processing-time timers, as in Flink.
 */
export class KeyedProcessOperator extends KeyedTimerOperator<VoidNamespace> {
  private readonly fn: KeyedProcessFunctionLike<Key, unknown, unknown>;
  /** One reusable context, which is also the collector: no allocation per record or timer. */
  private readonly context: KeyedProcessContext;

  constructor(ctx: OperatorContext, spec: KeyedProcessOperatorSpec, services: OperatorServices) {
    super(ctx, spec.userFunction, services, USER_TIMERS, VOID_NAMESPACE_CODEC);
    this.fn = spec.userFunction;
    this.context = new KeyedProcessContext(this, this.timerService, this.backend, this.sideOutput);
  }

  protected process(value: unknown, timestamp: number): void {
    this.context.beginElement(timestamp);
    this.fn.processElement(value, this.context, this.context);
  }

  onEventTime(timer: InternalTimer<VoidNamespace>): void {
    this.fireTimer(timer.timestamp, TimeDomain.EVENT_TIME, timer.timestamp);
  }

  onProcessingTime(timer: InternalTimer<VoidNamespace>): void {
    this.fireTimer(timer.timestamp, TimeDomain.PROCESSING_TIME, NO_TIMESTAMP);
  }

  private fireTimer(time: number, domain: TimeDomain, outputTimestamp: number): void {
    if (typeof this.fn.onTimer !== 'function') return;
    this.context.beginTimer(time, domain, outputTimestamp);
    try {
      this.fn.onTimer(time, this.context, this.context);
    } finally {
      this.context.endTimer();
    }
  }
}

/**
 * What `processElement` and `onTimer` see: the context (also the function's
 * TimerService, timers in the void namespace of the current key) and the
 * collector stamping emitted records.
 */
class KeyedProcessContext implements OnTimerContext<Key>, TimerService, Collector<unknown> {
  /** Timestamp given to emitted records: the input's, the event-time timer's, or none. */
  private outputTimestamp = NO_TIMESTAMP;
  private timerTimestamp = NO_TIMESTAMP;
  /** Set while `onTimer` runs. */
  private domain: TimeDomain | undefined;

  constructor(
    private readonly operator: { readonly output: Output },
    private readonly timers: InternalTimerService<VoidNamespace>,
    private readonly backend: HeapKeyedStateBackend,
    private readonly sideOutput: SideOutputEmitter,
  ) {}

  beginElement(timestamp: number): void {
    this.outputTimestamp = timestamp;
    this.domain = undefined;
  }

  beginTimer(time: number, domain: TimeDomain, outputTimestamp: number): void {
    this.timerTimestamp = time;
    this.domain = domain;
    this.outputTimestamp = outputTimestamp;
  }

  endTimer(): void {
    this.domain = undefined;
  }

  collect(value: unknown): void {
    this.operator.output.collect(value, this.outputTimestamp);
  }

  timestamp(): number | undefined {
    if (this.domain !== undefined) return this.timerTimestamp;
    return this.outputTimestamp === NO_TIMESTAMP ? undefined : this.outputTimestamp;
  }

  timerService(): TimerService {
    return this;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.sideOutput.emit(tag as OutputTag<unknown>, value, this.outputTimestamp);
  }

  getCurrentKey(): Key {
    return this.backend.getCurrentKey()!;
  }

  timeDomain(): TimeDomain {
    if (this.domain === undefined) throw new Error('timeDomain() is only available in onTimer().');
    return this.domain;
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(VOID_NAMESPACE, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(VOID_NAMESPACE, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(VOID_NAMESPACE, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(VOID_NAMESPACE, time);
  }
}
