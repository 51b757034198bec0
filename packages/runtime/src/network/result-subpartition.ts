import type { StreamItem } from './stream-item.js';

/**
 * The queue between one producer subtask and one consumer subtask on one edge.
 * The producer appends batches and events; the consumer (a local channel in the
 * same TaskManager, or the network sender for a remote consumer) polls them in
 * order. The queue is bounded by records: when it holds more than `capacity`
 * records the producer must wait (`whenWritable`) — this is the back-pressure.
 */
export class ResultSubpartition {
  private readonly queue: StreamItem[] = [];
  private head = 0;
  private queuedRecords = 0;
  private availabilityListener?: () => void;
  private writableWaiters: Array<() => void> = [];
  private released = false;
  private finished = false;
  private done = false;

  /**
   * Called once when the subpartition is done: the consumer took the end-of-partition
   * event, or the subpartition was released (its consumer or producer went away).
   */
  onConsumed?: () => void;

  constructor(readonly index: number, readonly capacity: number) {}

  /** Appends an item (never blocks; callers check `isWritable` between input batches). */
  add(item: StreamItem): void {
    if (this.released) return;
    if (item.kind === 'end-of-partition') this.finished = true;
    this.queue.push(item);
    if (item.kind === 'records') this.queuedRecords += item.values.length;
    const listener = this.availabilityListener;
    if (listener) listener();
  }

  isWritable(): boolean {
    return this.queuedRecords < this.capacity || this.released;
  }

  whenWritable(): Promise<void> {
    if (this.isWritable()) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** The next item, or undefined when the queue is empty. */
  poll(): StreamItem | undefined {
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as StreamItem;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (item.kind === 'records') {
      this.queuedRecords -= item.values.length;
      if (this.writableWaiters.length > 0 && this.isWritable()) this.wakeWriters();
    } else if (item.kind === 'end-of-partition') {
      this.markDone();
    }
    return item;
  }

  get isEmpty(): boolean {
    return this.head >= this.queue.length;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get bufferedRecords(): number {
    return this.queuedRecords;
  }

  /** Registers the consumer's "data available" callback (one consumer per subpartition). */
  setAvailabilityListener(listener: (() => void) | undefined): void {
    this.availabilityListener = listener;
    if (listener && !this.isEmpty) listener();
  }

  /** Drops everything (task cancelled/failed); wakes a waiting producer so it can exit. */
  release(): void {
    this.released = true;
    this.queue.length = 0;
    this.head = 0;
    this.queuedRecords = 0;
    this.wakeWriters();
    this.markDone();
  }

  private markDone(): void {
    if (this.done) return;
    this.done = true;
    this.onConsumed?.();
  }

  private wakeWriters(): void {
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const w of waiters) w();
  }
}
