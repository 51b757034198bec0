import type { Logger } from '@tsflink/core';
import type { OperatorSpec } from '@tsflink/api';
import type { ProcessingTimeScheduler } from '../windowing/processing-time-scheduler.js';
import type { SideOutputEmitter } from '../windowing/operator-services.js';

/** What the task gives every operator of its chain. */
export interface OperatorContext {
  readonly spec: OperatorSpec;
  readonly jobId: string;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  readonly logger: Logger;
  /** Processing time (ms since the epoch). */
  now(): number;
  /** Where print() writes (the TaskManager's stdout, or its .out file). */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Processing-time callbacks, run on the task loop (one MailboxProcessingTimeScheduler per task). */
  readonly processingTimeScheduler: ProcessingTimeScheduler;
  /** This operator's side outputs (a SideOutputRouter over its side-output edges). */
  readonly sideOutput: SideOutputEmitter;
  /** Records a promise that must settle before the task processes the next record (async sinks). */
  awaitBeforeNextRecord(promise: Promise<unknown>): void;
}
