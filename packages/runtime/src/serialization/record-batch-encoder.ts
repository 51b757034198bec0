import { RECORD_BATCH_HEADER_BYTES, RECORD_BATCH_VERSION } from './record-batch-format.js';
import { ValueWriter } from './value-writer.js';

/**
 * Encodes records one by one into a batch (see `record-batch-format.ts`). Records
 * are written straight into one growing buffer that is kept between batches, so
 * encoding allocates nothing per record; {@link finish} copies the batch out once.
 *
 * The caller decides when a batch is full, typically by {@link byteLength}
 * (32–64 KiB frames) or a record count, plus a flush timeout.
 */
export class RecordBatchEncoder {
  private readonly writer: ValueWriter;
  private records = 0;

  /** @param initialCapacity starting buffer size in bytes; it grows as needed and is kept. */
  constructor(initialCapacity = 64 * 1024) {
    this.writer = new ValueWriter(initialCapacity);
    this.begin();
  }

  /** Records added since the last {@link finish}. */
  get count(): number {
    return this.records;
  }

  /** Size in bytes the batch would have if finished now. */
  get byteLength(): number {
    return this.writer.length;
  }

  /**
   * Appends one record. A record that cannot be encoded throws
   * `ValueEncodingError` and leaves the batch as it was before the call.
   */
  add(record: unknown): void {
    const position = this.writer.length;
    const shapes = this.writer.shapeCount;
    try {
      this.writer.writeValue(record);
    } catch (error) {
      this.writer.rollback(position, shapes);
      throw error;
    }
    this.records++;
  }

  /**
   * Returns the batch in a new Buffer and starts the next batch.
   *
   * @param headroom bytes left free (uninitialised) before the batch, for a frame
   *   header the caller fills in, so the batch is not copied a second time
   */
  finish(headroom = 0): Buffer {
    this.writer.patchUint32(1, this.records);
    const batch = this.writer.bytes();
    const out = Buffer.allocUnsafe(headroom + batch.length);
    batch.copy(out, headroom);
    this.begin();
    return out;
  }

  /** Drops the records added since the last {@link finish}. */
  reset(): void {
    this.begin();
  }

  private begin(): void {
    this.writer.clear();
    this.writer.writeUint8(RECORD_BATCH_VERSION);
    this.writer.writeUint32(0);
    this.records = 0;
    if (this.writer.length !== RECORD_BATCH_HEADER_BYTES) throw new Error('record batch header size mismatch');
  }
}

/** Encodes all `records` as one batch. */
export function encodeRecordBatch(records: readonly unknown[]): Buffer {
  const encoder = new RecordBatchEncoder(Math.max(1024, records.length * 16));
  for (const record of records) encoder.add(record);
  return encoder.finish();
}
