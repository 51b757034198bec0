/**
 * What travels through result partitions and input channels: batches of records
 * and in-band events, in order. Events keep their place relative to records, so a
 * barrier separates exactly the records before a checkpoint from those after it.
 */

/**
 * A batch of records; `timestamps[i]` is the event time of `values[i]` (absent
 * when no record has one). On a keyBy edge `keyGroups[i]` is the key group the
 * producer routed `values[i]` by, so the consumer need not hash the key again.
 */
export interface RecordBatch {
  readonly kind: 'records';
  readonly values: unknown[];
  readonly timestamps: number[] | undefined;
  readonly keyGroups?: number[];
}

export interface CheckpointBarrier {
  readonly kind: 'barrier';
  readonly checkpointId: number;
  readonly timestamp: number;
  /** A savepoint barrier (state written self-contained into the savepoint directory). */
  readonly isSavepoint: boolean;
  /** Stop-with-savepoint: sources end after this barrier. */
  readonly stopSources: boolean;
  /** Directory the tasks write their state into ("" = keep it in the acknowledgement: JobManager memory). */
  readonly targetLocation: string;
}

export interface WatermarkEvent {
  readonly kind: 'watermark';
  readonly timestamp: number;
}

/**
 * The producer's watermark status (Flink's WatermarkStatus): an idle input
 * (`withIdleness`, a source without splits, `markAsTemporarilyIdle`) stops holding
 * back the consumers' watermark until it sends `idle: false` again.
 */
export interface WatermarkStatusEvent {
  readonly kind: 'watermark-status';
  readonly idle: boolean;
}

/** The producer will send nothing more on this channel. */
export interface EndOfPartition {
  readonly kind: 'end-of-partition';
}

export type StreamEvent = CheckpointBarrier | WatermarkEvent | WatermarkStatusEvent | EndOfPartition;
export type StreamItem = RecordBatch | StreamEvent;

export const END_OF_PARTITION: EndOfPartition = Object.freeze({ kind: 'end-of-partition' });
export const WATERMARK_STATUS_IDLE: WatermarkStatusEvent = Object.freeze({ kind: 'watermark-status', idle: true });
export const WATERMARK_STATUS_ACTIVE: WatermarkStatusEvent = Object.freeze({ kind: 'watermark-status', idle: false });

/** Event time of a record without a timestamp. */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;
