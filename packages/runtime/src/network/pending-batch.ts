import type { RecordBatch } from './stream-item.js';
import { NO_TIMESTAMP } from './stream-item.js';

/**
 * The records a RecordWriter holds for one consumer channel until they are handed
 * over as one {@link RecordBatch}.
 *
 * Arrays grown one `push` at a time are reallocated and copied about nine times on
 * the way to 1,024 entries (≈ 2 copies and 20 bytes of garbage per record, measured
 * at 5–8 % of a TaskManager's time at p1). So once a batch filled up, the next one
 * starts with arrays of the full batch size; after a partial hand-over (a flush of a
 * slow stream) it starts small again, so that a trickle of records does not allocate
 * a full batch per record.
 */
export class PendingBatch {
  count = 0;
  private values: unknown[] = [];
  /** Present once a record of this batch has a timestamp (earlier ones get NO_TIMESTAMP). */
  private timestamps: number[] | undefined = undefined;
  private keyGroups: number[] | undefined;
  private presized = false;

  /** @param withKeyGroups keyBy edges: every record carries the key group it was routed by. */
  constructor(private readonly batchSize: number, private readonly withKeyGroups: boolean) {
    this.keyGroups = withKeyGroups ? [] : undefined;
  }

  /** Adds a record; true when the batch is full. */
  add(value: unknown, timestamp: number, keyGroup: number): boolean {
    const index = this.count;
    this.values[index] = value;
    if (timestamp !== NO_TIMESTAMP || this.timestamps !== undefined) this.addTimestamp(index, timestamp);
    if (this.keyGroups !== undefined) this.keyGroups[index] = keyGroup;
    this.count = index + 1;
    return index + 1 >= this.batchSize;
  }

  /** The batch so far (never empty: check `count` first); starts the next one. */
  take(): RecordBatch {
    const count = this.count;
    const values = this.values;
    const timestamps = this.timestamps;
    const keyGroups = this.keyGroups;
    // Presized arrays are cut to what they hold (V8 trims them in place).
    if (values.length > count) values.length = count;
    if (timestamps !== undefined && timestamps.length > count) timestamps.length = count;
    if (keyGroups !== undefined && keyGroups.length > count) keyGroups.length = count;

    this.presized = count >= this.batchSize;
    this.count = 0;
    this.values = this.newArray();
    this.timestamps = undefined;
    if (this.withKeyGroups) this.keyGroups = this.newArray();
    return keyGroups === undefined ? { kind: 'records', values, timestamps } : { kind: 'records', values, timestamps, keyGroups };
  }

  private addTimestamp(index: number, timestamp: number): void {
    let ts = this.timestamps;
    if (ts === undefined) {
      ts = this.newArray<number>();
      for (let i = 0; i < index; i++) ts[i] = NO_TIMESTAMP;
      this.timestamps = ts;
    }
    ts[index] = timestamp;
  }

  private newArray<T>(): T[] {
    return this.presized ? new Array<T>(this.batchSize) : [];
  }
}
