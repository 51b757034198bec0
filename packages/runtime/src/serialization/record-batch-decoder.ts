import { ValueDecodingError } from './codec-errors.js';
import { RECORD_BATCH_HEADER_BYTES, RECORD_BATCH_VERSION } from './record-batch-format.js';
import { ShapeReaderCache } from './shape-reader-cache.js';
import { ValueReader } from './value-reader.js';

/**
 * Decodes record batches (see `record-batch-format.ts`). A decoder keeps compiled
 * builders for the object shapes it has met, so one long-lived decoder per input
 * decodes objects faster than separate {@link decodeRecordBatch} calls.
 */
export class RecordBatchDecoder {
  /** @param cache compiled object shapes; pass one to share it between decoders. */
  constructor(private readonly cache: ShapeReaderCache = new ShapeReaderCache()) {}

  /** Returns the records of a batch, in order. */
  decode(batch: Buffer): unknown[] {
    return readBatch(batch, this.cache);
  }

  /** Calls `fn` for each record of a batch, in order, without building an array. */
  forEach(batch: Buffer, fn: (record: unknown) => void): void {
    const reader = openBatch(batch, this.cache);
    const count = readCount(reader);
    for (let i = 0; i < count; i++) fn(reader.readValue());
    checkFullyRead(reader);
  }
}

/**
 * Decodes one batch. Without a cache, object shapes are built key by key; on hot
 * paths keep a {@link RecordBatchDecoder} (or pass a shared cache) instead.
 */
export function decodeRecordBatch(batch: Buffer, cache?: ShapeReaderCache): unknown[] {
  return readBatch(batch, cache);
}

function readBatch(batch: Buffer, cache: ShapeReaderCache | undefined): unknown[] {
  const reader = openBatch(batch, cache);
  const count = readCount(reader);
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) out[i] = reader.readValue();
  checkFullyRead(reader);
  return out;
}

function openBatch(batch: Buffer, cache: ShapeReaderCache | undefined): ValueReader {
  if (batch.length < RECORD_BATCH_HEADER_BYTES) {
    throw new ValueDecodingError(`A record batch needs at least ${RECORD_BATCH_HEADER_BYTES} bytes, got ${batch.length}`);
  }
  const reader = new ValueReader(batch, 0, batch.length, cache);
  const version = reader.readUint8();
  if (version !== RECORD_BATCH_VERSION) {
    throw new ValueDecodingError(`Unsupported record batch version ${version} (this build reads version ${RECORD_BATCH_VERSION})`);
  }
  return reader;
}

function readCount(reader: ValueReader): number {
  const count = reader.readUint32();
  // Each record takes at least one byte: reject impossible counts before allocating.
  if (count > reader.remaining) {
    throw new ValueDecodingError(`Record batch claims ${count} records but has only ${reader.remaining} bytes left`);
  }
  return count;
}

function checkFullyRead(reader: ValueReader): void {
  if (reader.remaining !== 0) {
    throw new ValueDecodingError(`Record batch has ${reader.remaining} unexpected trailing byte(s)`);
  }
}
