import type { ChannelSelector } from './partitioner.js';
import type { ResultSubpartition } from './result-subpartition.js';
import type { StreamEvent } from './stream-item.js';
import { NO_TIMESTAMP } from './stream-item.js';
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
  private readonly values: unknown[][];
  private readonly timestamps: (number[] | undefined)[];
  /** keyBy edges: the key group of each batched record, per channel (undefined elsewhere). */
  private readonly keyGroups: number[][] | undefined;

  constructor(
    private readonly subpartitions: readonly ResultSubpartition[],
    private readonly selector: ChannelSelector,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {
    this.values = subpartitions.map(() => []);
    this.timestamps = subpartitions.map(() => undefined);
    this.keyGroups = selector.routesByKeyGroup ? subpartitions.map(() => []) : undefined;
  }

  emit(value: unknown, timestamp: number): void {
    if (this.selector.isBroadcast) {
      // Consumers in this process would share the object: each gets a copy but the last.
      const last = this.subpartitions.length - 1;
      for (let c = 0; c < last; c++) this.append(c, clonePlainData(value), timestamp);
      this.append(last, value, timestamp);
      return;
    }
    const channel = this.selector.select(value);
    if (this.keyGroups !== undefined) this.keyGroups[channel]!.push(this.selector.keyGroup);
    this.append(channel, value, timestamp);
  }

  private append(channel: number, value: unknown, timestamp: number): void {
    const batch = this.values[channel]!;
    const index = batch.length;
    batch.push(value);
    let ts = this.timestamps[channel];
    if (timestamp !== NO_TIMESTAMP || ts !== undefined) {
      if (ts === undefined) {
        ts = new Array<number>(index).fill(NO_TIMESTAMP);
        this.timestamps[channel] = ts;
      }
      ts.push(timestamp);
    }
    if (index + 1 >= this.batchSize) this.flushChannel(channel);
  }

  private flushChannel(channel: number): void {
    const values = this.values[channel]!;
    if (values.length === 0) return;
    const timestamps = this.timestamps[channel];
    if (this.keyGroups === undefined) {
      this.subpartitions[channel]!.add({ kind: 'records', values, timestamps });
    } else {
      this.subpartitions[channel]!.add({ kind: 'records', values, timestamps, keyGroups: this.keyGroups[channel]! });
      this.keyGroups[channel] = [];
    }
    this.values[channel] = [];
    this.timestamps[channel] = undefined;
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
