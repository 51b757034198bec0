import type { OutputTag } from '@tsflink/api';
import { combineOutputs, type Output } from '../operators/output.js';
import type { SideOutputEmitter } from './operator-services.js';

/**
 * The side-output emitter of one operator in a task: a record emitted with tag
 * `t` goes to the outputs of the operator's output edges whose `sideOutputTag`
 * is `t.id` (side outputs are never chained, so these are network outputs); a
 * tag without such an edge drops the record, as in Flink.
 */
export class SideOutputRouter implements SideOutputEmitter {
  private readonly byTag = new Map<string, Output>();

  /** @param outputsByTag tag id → the outputs of the edges reading that side output */
  constructor(outputsByTag: ReadonlyMap<string, readonly Output[]>) {
    for (const [tag, outputs] of outputsByTag) if (outputs.length > 0) this.byTag.set(tag, combineOutputs(outputs));
  }

  emit(tag: OutputTag<unknown>, value: unknown, timestamp: number): void {
    this.byTag.get(tag.id)?.collect(value, timestamp);
  }

  /** Ids of the tags somebody reads. */
  get tagIds(): string[] {
    return [...this.byTag.keys()];
  }
}

/**
 * Passes watermarks (and statuses) on and drops records: put one around each side-output
 * edge's output in the operator's main `Output`, so side-output consumers see
 * the operator's watermarks (as in Flink) but not its main records.
 */
export class WatermarkOnlyOutput implements Output {
  constructor(private readonly target: Output) {}

  collect(_value: unknown, _timestamp: number): void {}

  emitWatermark(watermark: number): void {
    this.target.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.target.emitWatermarkStatus(idle);
  }
}
