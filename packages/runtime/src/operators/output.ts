import type { RecordWriter } from '../network/record-writer.js';

/**
 * Where an operator emits: records with their event timestamp, and watermarks.
 * Chained operators receive records by direct call; network edges go through
 * a RecordWriter. `NO_TIMESTAMP` marks a record without event time.
 */
export interface Output {
  collect(value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
}

/** Emits nothing (an operator without successors, e.g. a sink). */
export const NO_OUTPUT: Output = { collect() {}, emitWatermark() {} };

/** Feeds the next operator of the chain directly. */
export class ChainingOutput implements Output {
  constructor(private readonly next: { processElement(value: unknown, timestamp: number): void; processWatermark(watermark: number): void }) {}

  collect(value: unknown, timestamp: number): void {
    this.next.processElement(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.next.processWatermark(watermark);
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
}

/** Copies to several outputs (an operator with more than one successor). */
export class BroadcastingOutput implements Output {
  constructor(private readonly outputs: readonly Output[]) {}

  collect(value: unknown, timestamp: number): void {
    for (const o of this.outputs) o.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const o of this.outputs) o.emitWatermark(watermark);
  }
}

/** One Output from a list: none, the single one, or a broadcast. */
export function combineOutputs(outputs: readonly Output[]): Output {
  if (outputs.length === 0) return NO_OUTPUT;
  if (outputs.length === 1) return outputs[0]!;
  return new BroadcastingOutput(outputs);
}
