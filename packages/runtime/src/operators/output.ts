import type { RecordWriter } from '../network/record-writer.js';
import { WATERMARK_STATUS_ACTIVE, WATERMARK_STATUS_IDLE } from '../network/stream-item.js';
import { clonePlainData } from '../state/plain-data-clone.js';

/**
 * Where an operator emits: records with their event timestamp, watermarks, and
 * watermark statuses (idle / active again).
 * Chained operators receive records by direct call; network edges go through
 * a RecordWriter. `NO_TIMESTAMP` marks a record without event time.
 */
export interface Output {
  collect(value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
}

/** What a chained operator receives from its predecessor. */
export interface ChainedInput {
  processElement(value: unknown, timestamp: number): void;
  processWatermark(watermark: number): void;
  processWatermarkStatus(idle: boolean): void;
}

/** Emits nothing (an operator without successors, e.g. a sink). */
export const NO_OUTPUT: Output = { collect() {}, emitWatermark() {}, emitWatermarkStatus() {} };

/** Feeds the next operator of the chain directly. */
export class ChainingOutput implements Output {
  constructor(private readonly next: ChainedInput) {}

  collect(value: unknown, timestamp: number): void {
    this.next.processElement(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.next.processWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.next.processWatermarkStatus(idle);
  }
}

/** Writes to a network edge (local or remote consumers). */
export class RecordWriterOutput implements Output {
  constructor(private readonly writer: RecordWriter) {}

  collect(value: unknown, timestamp: number): void {
    this.writer.emit(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.writer.broadcastEvent({ kind: 'watermark', timestamp: watermark });
  }

  emitWatermarkStatus(idle: boolean): void {
    this.writer.broadcastEvent(idle ? WATERMARK_STATUS_IDLE : WATERMARK_STATUS_ACTIVE);
  }
}

/**
 * Copies to several outputs (an operator with more than one successor). Each
 * successor gets its own copy of the record but the last, which gets the
 * original (Flink's copying broadcast collector): a successor that mutates its
 * record never changes what another one sees. Records are plain data (what the
 * record codec can send); other objects are passed as they are.
 */
export class BroadcastingOutput implements Output {
  private readonly last: number;

  constructor(private readonly outputs: readonly Output[]) {
    this.last = outputs.length - 1;
  }

  collect(value: unknown, timestamp: number): void {
    const outputs = this.outputs;
    for (let i = 0; i < this.last; i++) outputs[i]!.collect(clonePlainData(value), timestamp);
    outputs[this.last]!.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const o of this.outputs) o.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const o of this.outputs) o.emitWatermarkStatus(idle);
  }
}

/** One Output from a list: none, the single one, or a broadcast. */
export function combineOutputs(outputs: readonly Output[]): Output {
  if (outputs.length === 0) return NO_OUTPUT;
  if (outputs.length === 1) return outputs[0]!;
  return new BroadcastingOutput(outputs);
}
