import {
  MAX_WATERMARK, ValueStateDescriptor,
  type Collector, type OutputTag, type TimeWindow, type WindowAssigner, type WindowOperatorSpec,
} from '@tsflink/api';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import type { OperatorContext } from '../operators/operator-context.js';
import type { InternalTimer } from './internal-timer-service.js';
import { InternalWindowFunction, windowLifecycleFunction } from './internal-window-function.js';
import { KeyedTimerOperator } from './keyed-timer-operator.js';
import { MergingWindowSet, type MergeFunction } from './merging-window-set.js';
import { TimeWindowCodec } from './namespace-codec.js';
import type { OperatorServices } from './operator-services.js';
import { createWindowContents, type WindowContents } from './window-contents.js';
import { defaultTrigger, type WindowTrigger } from './window-triggers.js';

/** Name of the window operator's timer service (Flink's "window-timers"). */
export const WINDOW_TIMERS = 'window-timers';
/** Keyed value state holding a merging assigner's in-flight windows per key (see `MergingWindowSet`). */
export const MERGING_WINDOW_SET_STATE = '_merging-window-set';

/**
 * `KeyedStream.window(assigner)…reduce | aggregate | process` (Flink's
 * `WindowOperator` with the assigner's default trigger and no evictor).
 *
 * Per record: the assigner gives its windows (by the record's timestamp, or by
 * the current processing time for processing-time assigners); a merging
 * assigner's windows first merge with the key's in-flight windows; every
 * window that is not late takes the record into its contents and asks the
 * trigger; the window's cleanup timer is registered. A window fires when its
 * time passes `maxTimestamp()` and emits with that timestamp.
 *
 * Lateness (event time only): a window is late once the watermark reached its
 * cleanup time, `maxTimestamp() + allowedLateness`; its contents and timers are
 * removed then. A record for a window that is not late yet but already fired
 * fires the window again at once, with the record included. A record that
 * fits no live window and whose `timestamp + allowedLateness` is behind the
 * watermark goes to `lateDataOutputTag`, or is dropped and counted.
 *
 * Everything lives in keyed state (contents, in-flight session windows, timers),
 * so a snapshot taken anywhere between records restores exactly, at any
 * parallelism. The end-of-time watermark fires every event-time window.
 */
export class WindowOperator extends KeyedTimerOperator<TimeWindow> {
  private readonly assigner: WindowAssigner;
  private readonly isEventTime: boolean;
  private readonly allowedLateness: number;
  private readonly lateDataOutputTag: OutputTag<unknown> | undefined;
  private readonly trigger: WindowTrigger;
  private readonly contents: WindowContents;
  private readonly mergingWindows: MergingWindowSet | undefined;
  private readonly windowFunction: InternalWindowFunction;
  private readonly collector: WindowOutputCollector;
  private readonly mergeFunction: MergeFunction;
  private lateRecordsDropped = 0;

  constructor(ctx: OperatorContext, spec: WindowOperatorSpec, services: OperatorServices) {
    super(ctx, windowLifecycleFunction(spec.windowFunction), services, WINDOW_TIMERS, new TimeWindowCodec());
    const windowFunction = spec.windowFunction;
    this.assigner = spec.assigner;
    this.isEventTime = spec.assigner.isEventTime();
    this.allowedLateness = this.isEventTime ? spec.allowedLateness : 0;
    this.lateDataOutputTag = spec.lateDataOutputTag;
    this.trigger = defaultTrigger(spec.assigner);
    this.contents = createWindowContents(this.backend, windowFunction);
    this.mergingWindows = spec.assigner.isMerging()
      ? new MergingWindowSet(this.backend.getState(new ValueStateDescriptor<number[] | undefined>(MERGING_WINDOW_SET_STATE)))
      : undefined;
    this.windowFunction = new InternalWindowFunction({
      windowFunction,
      backend: this.backend,
      timers: this.timerService,
      sideOutput: this.sideOutput,
      merging: this.mergingWindows !== undefined,
    });
    this.collector = new WindowOutputCollector(this);
    this.mergeFunction = (mergeResult, mergedWindows, stateWindowResult, mergedStateWindows) =>
      this.mergeWindows(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
  }

  /** Records dropped because they were too late for every window (and no late-data output was set). */
  get numLateRecordsDropped(): number {
    return this.lateRecordsDropped;
  }

  protected process(value: unknown, timestamp: number): void {
    let elementTime: number;
    if (this.isEventTime) {
      if (timestamp === NO_TIMESTAMP) {
        throw new Error(
          `Operator ${this.name} got a record without timestamp (= no timestamp marker). ` +
          "Did you forget to call 'DataStream.assignTimestampsAndWatermarks(...)' or to give 'fromSource' a WatermarkStrategy with a timestamp assigner?",
        );
      }
      elementTime = timestamp;
    } else {
      elementTime = this.timerService.currentProcessingTime();
    }
    const windows = this.assigner.assignWindows(elementTime);
    const added = this.mergingWindows === undefined
      ? this.addToWindows(windows, value)
      : this.addToMergingWindows(this.mergingWindows, windows, value);
    if (!added && this.isElementLate(timestamp)) {
      if (this.lateDataOutputTag !== undefined) this.sideOutput.emit(this.lateDataOutputTag, value, timestamp);
      else this.lateRecordsDropped++;
    }
  }

  onEventTime(timer: InternalTimer<TimeWindow>): void {
    this.onTimer(timer, true);
  }

  onProcessingTime(timer: InternalTimer<TimeWindow>): void {
    this.onTimer(timer, false);
  }

  /** Adds `value` to each window that is not late; false when every window was late. */
  private addToWindows(windows: readonly TimeWindow[], value: unknown): boolean {
    let added = false;
    const codec = this.namespaceCodec;
    for (const window of windows) {
      if (this.isWindowLate(window)) continue;
      added = true;
      const windowKey = codec.encode(window);
      this.contents.add(windowKey, value);
      if (this.trigger.onElement(window, this.timerService)) this.emitWindowContents(window, windowKey);
      this.registerCleanupTimer(window);
    }
    return added;
  }

  /** As {@link addToWindows}, after merging each window into the key's in-flight windows. */
  private addToMergingWindows(set: MergingWindowSet, windows: readonly TimeWindow[], value: unknown): boolean {
    let added = false;
    const codec = this.namespaceCodec;
    set.load();
    for (const window of windows) {
      const actualWindow = set.addWindow(window, this.mergeFunction);
      if (this.isWindowLate(actualWindow)) {
        set.retireWindow(actualWindow);
        continue;
      }
      added = true;
      const stateWindowKey = codec.encode(set.getStateWindow(actualWindow)!);
      this.contents.add(stateWindowKey, value);
      if (this.trigger.onElement(actualWindow, this.timerService)) this.emitWindowContents(actualWindow, stateWindowKey);
      this.registerCleanupTimer(actualWindow);
    }
    set.persist();
    return added;
  }

  /** Windows merged into `mergeResult`: move their timers to it and merge their contents. */
  private mergeWindows(
    mergeResult: TimeWindow,
    mergedWindows: readonly TimeWindow[],
    stateWindowResult: TimeWindow,
    mergedStateWindows: readonly TimeWindow[],
  ): void {
    if (this.isEventTime && this.cleanupTime(mergeResult) <= this.timerService.currentWatermark()) {
      throw new Error(
        'The end timestamp of an event-time window cannot become earlier than the current watermark by merging. ' +
        `Current watermark: ${this.timerService.currentWatermark()} window: ${mergeResult}`,
      );
    }
    if (!this.isEventTime && mergeResult.maxTimestamp() <= this.timerService.currentProcessingTime()) {
      throw new Error(
        'The end timestamp of a processing-time window cannot become earlier than the current processing time by merging. ' +
        `Current processing time: ${this.timerService.currentProcessingTime()} window: ${mergeResult}`,
      );
    }
    this.trigger.onMerge(mergeResult, this.timerService);
    for (const window of mergedWindows) {
      this.trigger.clear(window, this.timerService);
      this.deleteCleanupTimer(window);
    }
    const codec = this.namespaceCodec;
    this.contents.merge(codec.encode(stateWindowResult), mergedStateWindows.map((w) => codec.encode(w)));
  }

  private onTimer(timer: InternalTimer<TimeWindow>, eventTime: boolean): void {
    const window = timer.namespace;
    const set = this.mergingWindows;
    let stateWindowKey: string;
    if (set === undefined) {
      stateWindowKey = this.namespaceCodec.encode(window);
    } else {
      set.load();
      const stateWindow = set.getStateWindow(window);
      // A timer of a window that merged away or was purged: nothing to do.
      if (stateWindow === undefined) return;
      stateWindowKey = this.namespaceCodec.encode(stateWindow);
    }
    const fire = eventTime
      ? this.trigger.onEventTime(timer.timestamp, window, this.timerService)
      : this.trigger.onProcessingTime(timer.timestamp, window, this.timerService);
    if (fire) this.emitWindowContents(window, stateWindowKey);
    if (eventTime === this.isEventTime && timer.timestamp === this.cleanupTime(window)) {
      this.clearAllState(window, stateWindowKey);
      set?.retireWindow(window);
    }
    set?.persist();
  }

  private emitWindowContents(window: TimeWindow, stateWindowKey: string): void {
    const contents = this.contents.get(stateWindowKey);
    if (contents === undefined) return;
    this.collector.timestamp = window.maxTimestamp();
    this.windowFunction.process(this.backend.getCurrentKey()!, window, stateWindowKey, contents, this.collector);
  }

  private clearAllState(window: TimeWindow, stateWindowKey: string): void {
    this.contents.clear(stateWindowKey);
    this.trigger.clear(window, this.timerService);
    this.windowFunction.clear(window, stateWindowKey);
  }

  /**
   * When a window's state goes: `maxTimestamp() + allowedLateness` in event time
   * (at most the end of time), `maxTimestamp()` in processing time.
   */
  private cleanupTime(window: TimeWindow): number {
    if (!this.isEventTime) return window.maxTimestamp();
    return Math.min(window.maxTimestamp() + this.allowedLateness, MAX_WATERMARK);
  }

  private registerCleanupTimer(window: TimeWindow): void {
    const time = this.cleanupTime(window);
    if (this.isEventTime) this.timerService.registerEventTimeTimer(window, time);
    else this.timerService.registerProcessingTimeTimer(window, time);
  }

  private deleteCleanupTimer(window: TimeWindow): void {
    const time = this.cleanupTime(window);
    if (this.isEventTime) this.timerService.deleteEventTimeTimer(window, time);
    else this.timerService.deleteProcessingTimeTimer(window, time);
  }

  /** An event-time window whose cleanup time the watermark reached takes no more records. */
  private isWindowLate(window: TimeWindow): boolean {
    return this.isEventTime && this.cleanupTime(window) <= this.timerService.currentWatermark();
  }

  /** A record that no window took is late when `timestamp + allowedLateness` is behind the watermark. */
  private isElementLate(timestamp: number): boolean {
    return this.isEventTime && timestamp + this.allowedLateness <= this.timerService.currentWatermark();
  }
}

/** Emits a window's results with the window's timestamp (one object per operator). */
class WindowOutputCollector implements Collector<unknown> {
  timestamp = NO_TIMESTAMP;

  constructor(private readonly operator: { readonly output: { collect(value: unknown, timestamp: number): void } }) {}

  collect(value: unknown): void {
    this.operator.output.collect(value, this.timestamp);
  }
}
