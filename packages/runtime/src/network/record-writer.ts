import type { ChannelSelector } from './partitioner.js';
import type { ResultSubpartition } from './result-subpartition.js';
import type { StreamEvent } from './stream-item.js';
import { PendingBatch } from './pending-batch.js';
import { clonePlainData } from '../state/plain-data-clone.js';

/** Records per batch handed to a subpartition (one network frame or one local hand-over). */
export const DEFAULT_BATCH_SIZE = 1024;

/**
 * Writes one output edge of a task: records are grouped per consumer channel into
 * batches (no per-record allocation besides the array slot), handed to the
 * subpartitions when full or on `flush()`. Events flush pending records first and
 * then go to every channel, so they keep their place in the stream.
 */
export class RecordWriter {
  private readonly pending: PendingBatch[];
  /** keyBy edges: each record's key group (from the selector) travels with it. */
  private readonly routesByKeyGroup: boolean;

  constructor(
    private readonly subpartitions: readonly ResultSubpartition[],
    private readonly selector: ChannelSelector,
    batchSize = DEFAULT_BATCH_SIZE,
  ) {
    this.routesByKeyGroup = selector.routesByKeyGroup;
    this.pending = subpartitions.map(() => new PendingBatch(batchSize, selector.routesByKeyGroup));
  }

  emit(value: unknown, timestamp: number): void {
    if (this.selector.isBroadcast) {
      // Consumers in this process would share the object: each gets a copy but the last.
      const last = this.subpartitions.length - 1;
      for (let c = 0; c < last; c++) this.append(c, clonePlainData(value), timestamp, -1);
      this.append(last, value, timestamp, -1);
      return;
    }
    const channel = this.selector.select(value);
    this.append(channel, value, timestamp, this.routesByKeyGroup ? this.selector.keyGroup : -1);
  }

  private append(channel: number, value: unknown, timestamp: number, keyGroup: number): void {
    if (this.pending[channel]!.add(value, timestamp, keyGroup)) this.flushChannel(channel);
  }

  private flushChannel(channel: number): void {
    const batch = this.pending[channel]!;
    if (batch.count > 0) this.subpartitions[channel]!.add(batch.take());
  }

  /** Hands every pending batch to its subpartition. */
  flush(): void {
    for (let c = 0; c < this.subpartitions.length; c++) this.flushChannel(c);
  }

  broadcastEvent(event: StreamEvent): void {
    this.flush();
    for (const sp of this.subpartitions) sp.add(event);
  }

  isWritable(): boolean {
    for (const sp of this.subpartitions) if (!sp.isWritable()) return false;
    return true;
  }

  async whenWritable(): Promise<void> {
    for (const sp of this.subpartitions) if (!sp.isWritable()) await sp.whenWritable();
  }
}
