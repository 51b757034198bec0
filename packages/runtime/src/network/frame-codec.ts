import { RecordBatchDecoder } from '../serialization/record-batch-decoder.js';
import { RecordBatchEncoder } from '../serialization/record-batch-encoder.js';
import type { StreamItem } from './stream-item.js';
import { END_OF_PARTITION, WATERMARK_STATUS_ACTIVE, WATERMARK_STATUS_IDLE } from './stream-item.js';

/**
 * Wire format of one data-plane frame (the payload of a DataFrame message):
 *
 *   byte 0: frame type  1 = records, 2 = barrier, 3 = watermark, 4 = end of partition, 5 = watermark status
 *   records:   u8 flags (1 = timestamps, 2 = key groups), u32 count, [f64 × count if timestamps],
 *              [u16 × count if key groups], record batch (serialization/record-batch-format.ts)
 *   barrier:   f64 checkpointId, f64 timestamp, u8 flags (1 = savepoint, 2 = stop sources), UTF-8 target location
 *   watermark: f64 timestamp
 *   watermark status: u8 (1 = idle, 0 = active)
 *
 * One encoder and one decoder live per stream (a subpartition → consumer
 * channel), so the record codec may reuse what it learnt (object shapes).
 */
const RECORDS = 1;
const BARRIER = 2;
const WATERMARK = 3;
const END = 4;
const WATERMARK_STATUS = 5;
/** Flags of a records frame. */
const HAS_TIMESTAMPS = 1;
const HAS_KEY_GROUPS = 2;

export class FrameEncoder {
  private readonly batches = new RecordBatchEncoder();

  encode(item: StreamItem): Buffer {
    switch (item.kind) {
      case 'records': {
        try {
          for (const v of item.values) this.batches.add(v);
        } catch (e) {
          // Drop the records of this item already added, or they would prefix the next frame.
          this.batches.reset();
          throw e;
        }
        const { timestamps: ts, keyGroups: kgs } = item;
        const count = item.values.length;
        const kgOffset = 6 + (ts ? 8 * count : 0);
        const headerLength = kgOffset + (kgs ? 2 * count : 0);
        // The batch is written after `headerLength` free bytes: no second copy.
        const out = this.batches.finish(headerLength);
        out[0] = RECORDS;
        out[1] = (ts ? HAS_TIMESTAMPS : 0) | (kgs ? HAS_KEY_GROUPS : 0);
        out.writeUInt32LE(count, 2);
        if (ts) for (let i = 0; i < count; i++) out.writeDoubleLE(ts[i]!, 6 + 8 * i);
        if (kgs) for (let i = 0; i < count; i++) out.writeUInt16LE(kgs[i]!, kgOffset + 2 * i);
        return out;
      }
      case 'barrier': {
        const location = Buffer.from(item.targetLocation, 'utf8');
        const out = Buffer.allocUnsafe(18 + location.length);
        out[0] = BARRIER;
        location.copy(out, 18);
        out.writeDoubleLE(item.checkpointId, 1);
        out.writeDoubleLE(item.timestamp, 9);
        out[17] = (item.isSavepoint ? 1 : 0) | (item.stopSources ? 2 : 0);
        return out;
      }
      case 'watermark': {
        const out = Buffer.allocUnsafe(9);
        out[0] = WATERMARK;
        out.writeDoubleLE(item.timestamp, 1);
        return out;
      }
      case 'watermark-status':
        return Buffer.from([WATERMARK_STATUS, item.idle ? 1 : 0]);
      case 'end-of-partition':
        return Buffer.from([END]);
    }
  }
}

export class FrameDecoder {
  private readonly batches = new RecordBatchDecoder();

  decode(frame: Buffer): StreamItem {
    switch (frame[0]) {
      case RECORDS: {
        const flags = frame[1]!;
        const count = frame.readUInt32LE(2);
        let offset = 6;
        let timestamps: number[] | undefined;
        if ((flags & HAS_TIMESTAMPS) !== 0) {
          timestamps = new Array<number>(count);
          for (let i = 0; i < count; i++) timestamps[i] = frame.readDoubleLE(offset + 8 * i);
          offset += 8 * count;
        }
        if ((flags & HAS_KEY_GROUPS) === 0) return { kind: 'records', values: this.batches.decode(frame.subarray(offset)), timestamps };
        const keyGroups = new Array<number>(count);
        for (let i = 0; i < count; i++) keyGroups[i] = frame.readUInt16LE(offset + 2 * i);
        offset += 2 * count;
        return { kind: 'records', values: this.batches.decode(frame.subarray(offset)), timestamps, keyGroups };
      }
      case BARRIER: {
        const flags = frame[17]!;
        return {
          kind: 'barrier',
          checkpointId: frame.readDoubleLE(1),
          timestamp: frame.readDoubleLE(9),
          isSavepoint: (flags & 1) !== 0,
          stopSources: (flags & 2) !== 0,
          targetLocation: frame.toString('utf8', 18),
        };
      }
      case WATERMARK:
        return { kind: 'watermark', timestamp: frame.readDoubleLE(1) };
      case WATERMARK_STATUS:
        return frame[1] === 1 ? WATERMARK_STATUS_IDLE : WATERMARK_STATUS_ACTIVE;
      case END:
        return END_OF_PARTITION;
      default:
        throw new Error(`Corrupt data frame: unknown frame type ${frame[0]}.`);
    }
  }
}
