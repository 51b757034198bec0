import type { ResultSubpartition } from './result-subpartition.js';
import type { StreamItem } from './stream-item.js';

/** One input of a consumer task: the items of one producer subtask, in order. */
export interface InputChannel {
  /** The next item, or undefined when none is buffered right now. */
  poll(): StreamItem | undefined;
  /** Called (possibly many times) when items become available. */
  setAvailabilityListener(listener: () => void): void;
  /** Stops consumption (task ends); frees resources. */
  release(): void;
}

/** A channel to a producer in the same TaskManager: reads its subpartition directly, no serialization. */
export class LocalInputChannel implements InputChannel {
  constructor(private readonly subpartition: ResultSubpartition) {}

  poll(): StreamItem | undefined {
    return this.subpartition.poll();
  }

  setAvailabilityListener(listener: () => void): void {
    this.subpartition.setAvailabilityListener(listener);
  }

  /** The consumer ended: what it did not read is dropped, a waiting producer wakes, and the partition can be unregistered. */
  release(): void {
    this.subpartition.setAvailabilityListener(undefined);
    this.subpartition.release();
  }
}

/**
 * A channel fed from outside (the TaskManager's network client pushes decoded
 * items). It bounds what it buffers: above `highWatermark` records it asks the
 * transport to pause reading (so HTTP/2 flow control pushes back on the
 * producer) and resumes below half of it.
 */
export class QueueInputChannel implements InputChannel {
  private readonly queue: StreamItem[] = [];
  private head = 0;
  private bufferedRecords = 0;
  private listener?: () => void;
  private paused = false;
  private failure?: Error;

  constructor(
    private readonly flowControl: { pause(): void; resume(): void; close(): void },
    private readonly highWatermark = 16 * 1024,
  ) {}

  push(item: StreamItem): void {
    this.queue.push(item);
    if (item.kind === 'records') this.bufferedRecords += item.values.length;
    if (!this.paused && this.bufferedRecords > this.highWatermark) {
      this.paused = true;
      this.flowControl.pause();
    }
    this.listener?.();
  }

  /** The transport failed: the consuming task fails with this error on its next poll. */
  fail(error: Error): void {
    this.failure = error;
    this.listener?.();
  }

  poll(): StreamItem | undefined {
    if (this.head >= this.queue.length) {
      if (this.failure) throw this.failure;
      return undefined;
    }
    const item = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as StreamItem;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue.splice(0, this.head); this.head = 0; }
    if (item.kind === 'records') {
      this.bufferedRecords -= item.values.length;
      if (this.paused && this.bufferedRecords < this.highWatermark / 2) {
        this.paused = false;
        this.flowControl.resume();
      }
    }
    return item;
  }

  setAvailabilityListener(listener: () => void): void {
    this.listener = listener;
    if (this.head < this.queue.length || this.failure) listener();
  }

  release(): void {
    this.listener = undefined;
    this.flowControl.close();
  }
}
