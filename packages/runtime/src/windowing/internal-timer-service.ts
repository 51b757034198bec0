import { MIN_WATERMARK, type Key } from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { KeyedTimerQueue } from './keyed-timer-queue.js';
import type { NamespaceCodec } from './namespace-codec.js';
import type { Cancellable, ProcessingTimeScheduler } from './processing-time-scheduler.js';

/** A timer handed to a {@link Triggerable} when it fires. */
export interface InternalTimer<N> {
  readonly timestamp: number;
  /** The key that registered it; it is the backend's current key during the callback. */
  readonly key: Key;
  readonly namespace: N;
}

/** What a timer service calls back when timers fire (the operator). */
export interface Triggerable<N> {
  onEventTime(timer: InternalTimer<N>): void;
  onProcessingTime(timer: InternalTimer<N>): void;
}

/** Configuration of an {@link InternalTimerService}. */
export interface InternalTimerServiceOptions<N> {
  /** Names the service's keyed states: `_timer_state/event_<name>` and `_timer_state/processing_<name>`. */
  readonly name: string;
  /** The operator's keyed backend: timers live in its keyed state and are scoped by its current key. */
  readonly backend: HeapKeyedStateBackend;
  readonly namespaceCodec: NamespaceCodec<N>;
  readonly scheduler: ProcessingTimeScheduler;
  readonly triggerable: Triggerable<N>;
}

/**
 * Event- and processing-time timers per key and namespace (Flink's
 * `InternalTimerServiceImpl`). Timers are registered for the backend's current
 * key, deduplicated per (key, namespace, timestamp), stored in the operator's
 * keyed state (so every checkpoint holds them, by key group) and queued in
 * memory in timestamp order (see {@link KeyedTimerQueue}).
 *
 * - {@link advanceWatermark} fires every event-time timer ≤ the watermark, in
 *   order, each with its key as the current key; timers registered by a callback
 *   that are already due fire in the same call.
 * - Processing-time timers fire from one scheduler callback at a time, set for
 *   the earliest timer (moved earlier when an earlier one is registered).
 *
 * A fired timer is removed before its callback runs. After a restore, call
 * {@link restoreTimers} once the backend has its key groups back.
 */
export class InternalTimerService<N> {
  private readonly eventTimeTimers: KeyedTimerQueue<N>;
  private readonly processingTimeTimers: KeyedTimerQueue<N>;
  private readonly scheduler: ProcessingTimeScheduler;
  private readonly triggerable: Triggerable<N>;
  private watermark = MIN_WATERMARK;
  private scheduled: { readonly at: number; readonly handle: Cancellable } | undefined;
  private firingProcessingTime = false;
  private closed = false;

  constructor(options: InternalTimerServiceOptions<N>) {
    this.scheduler = options.scheduler;
    this.triggerable = options.triggerable;
    this.eventTimeTimers = new KeyedTimerQueue(`_timer_state/event_${options.name}`, options.backend, options.namespaceCodec);
    this.processingTimeTimers = new KeyedTimerQueue(`_timer_state/processing_${options.name}`, options.backend, options.namespaceCodec);
  }

  currentProcessingTime(): number {
    return this.scheduler.now();
  }

  /** The last watermark given to {@link advanceWatermark} (`MIN_WATERMARK` before the first). */
  currentWatermark(): number {
    return this.watermark;
  }

  registerEventTimeTimer(namespace: N, time: number): void {
    this.eventTimeTimers.add(namespace, checkTime(time));
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimeTimers.remove(namespace, time);
  }

  registerProcessingTimeTimer(namespace: N, time: number): void {
    if (this.processingTimeTimers.add(namespace, checkTime(time))) this.scheduleNextProcessingTimer();
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    // A callback already scheduled for it stays: it finds nothing due and schedules the next one.
    this.processingTimeTimers.remove(namespace, time);
  }

  numEventTimeTimers(): number {
    return this.eventTimeTimers.size;
  }

  numProcessingTimeTimers(): number {
    return this.processingTimeTimers.size;
  }

  /** Sets the watermark and fires every event-time timer with timestamp ≤ `watermark`. */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    for (let timer = this.eventTimeTimers.pollDue(watermark); timer !== undefined; timer = this.eventTimeTimers.pollDue(watermark)) {
      this.triggerable.onEventTime(timer);
    }
  }

  /**
   * Sets the watermark without firing anything: for a watermark restored from a
   * checkpoint, which every timer in that checkpoint is already later than.
   */
  initializeWatermark(watermark: number): void {
    this.watermark = watermark;
  }

  /** Rebuilds both timer queues from the restored keyed state and schedules the first processing-time timer. */
  restoreTimers(): void {
    this.eventTimeTimers.restore();
    this.processingTimeTimers.restore();
    this.scheduleNextProcessingTimer();
  }

  /** Withdraws the scheduled processing-time callback; no timer fires afterwards. */
  close(): void {
    this.closed = true;
    this.scheduled?.handle.cancel();
    this.scheduled = undefined;
  }

  private onProcessingTimeCallback(at: number): void {
    this.scheduled = undefined;
    if (this.closed) return;
    const time = Math.max(at, this.scheduler.now());
    this.firingProcessingTime = true;
    try {
      for (let timer = this.processingTimeTimers.pollDue(time); timer !== undefined; timer = this.processingTimeTimers.pollDue(time)) {
        this.triggerable.onProcessingTime(timer);
      }
    } finally {
      this.firingProcessingTime = false;
    }
    this.scheduleNextProcessingTimer();
  }

  /** Makes sure a callback is scheduled no later than the earliest processing-time timer. */
  private scheduleNextProcessingTimer(): void {
    if (this.closed || this.firingProcessingTime) return;
    const next = this.processingTimeTimers.peekTimestamp();
    if (next === undefined) return;
    if (this.scheduled !== undefined) {
      if (this.scheduled.at <= next) return;
      this.scheduled.handle.cancel();
    }
    const handle = this.scheduler.schedule(next, () => this.onProcessingTimeCallback(next));
    this.scheduled = { at: next, handle };
  }
}

function checkTime(time: number): number {
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new TypeError(`A timer needs a finite timestamp in epoch milliseconds, got ${String(time)}.`);
  }
  return time;
}
