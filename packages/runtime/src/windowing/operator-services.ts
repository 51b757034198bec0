import type { OutputTag } from '@tsflink/api';
import type { ProcessingTimeScheduler } from './processing-time-scheduler.js';

/**
 * Emits records to side outputs (`ctx.output(tag, value)`, late window data).
 * The task routes a record to the output edges whose `sideOutputTag` equals
 * `tag.id`; a tag nobody reads drops the record, as in Flink.
 */
export interface SideOutputEmitter {
  emit(tag: OutputTag<unknown>, value: unknown, timestamp: number): void;
}

/** Drops every side-output record (an operator whose side outputs nobody reads). */
export const DROP_SIDE_OUTPUTS: SideOutputEmitter = { emit() {} };

/**
 * What timer-based operators (keyed process, window) need from their task on top
 * of the `OperatorContext`: a processing-time scheduler running callbacks on the
 * task's loop, and the side-output emitter of this operator.
 */
export interface OperatorServices {
  readonly processingTimeScheduler: ProcessingTimeScheduler;
  readonly sideOutput: SideOutputEmitter;
}
