import { CheckpointingOptions, type Configuration } from '@tsflink/core';
import type { JobCheckpointSettings__Output } from '@tsflink/proto';

export type RetentionPolicy = 'NO_EXTERNALIZED_CHECKPOINTS' | 'DELETE_ON_CANCELLATION' | 'RETAIN_ON_CANCELLATION';

/** A job's resolved checkpoint settings: what the job set in code, else the cluster configuration. */
export interface CheckpointSettings {
  /** Undefined: checkpointing disabled. */
  intervalMs?: number;
  exactlyOnce: boolean;
  timeoutMs: number;
  minPauseMs: number;
  maxConcurrent: number;
  tolerableFailures: number;
  retention: RetentionPolicy;
  numRetained: number;
  /** Base directory of checkpoints; undefined = kept in JobManager memory. */
  checkpointsDir?: string;
  /** Default savepoint directory. */
  savepointsDir?: string;
}

export function resolveCheckpointSettings(job: JobCheckpointSettings__Output | null | undefined, config: Configuration): CheckpointSettings {
  const interval = job?.interval_ms && job.interval_ms > 0 ? job.interval_ms : config.getOptional(CheckpointingOptions.INTERVAL);
  return {
    intervalMs: interval,
    exactlyOnce: (job?.mode || config.get(CheckpointingOptions.MODE)) !== 'AT_LEAST_ONCE',
    timeoutMs: job?.has_timeout ? job.timeout_ms : config.get(CheckpointingOptions.TIMEOUT),
    minPauseMs: job?.has_min_pause ? job.min_pause_ms : config.get(CheckpointingOptions.MIN_PAUSE),
    maxConcurrent: job?.has_max_concurrent ? job.max_concurrent : config.get(CheckpointingOptions.MAX_CONCURRENT),
    tolerableFailures: job?.has_tolerable_failures ? job.tolerable_failures : config.get(CheckpointingOptions.TOLERABLE_FAILURES),
    retention: (job?.externalized_cleanup || config.get(CheckpointingOptions.EXTERNALIZED_RETENTION)) as RetentionPolicy,
    numRetained: config.get(CheckpointingOptions.MAX_RETAINED),
    checkpointsDir: config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
    savepointsDir: config.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY),
  };
}

/** DESIGN.md 7: whether retained checkpoints survive the job's end in this state. */
export function keepCheckpointsOnJobEnd(retention: RetentionPolicy, jobState: 'FINISHED' | 'CANCELED' | 'FAILED'): boolean {
  if (jobState === 'FINISHED') return false;
  if (jobState === 'CANCELED') return retention === 'RETAIN_ON_CANCELLATION';
  return retention !== 'NO_EXTERNALIZED_CHECKPOINTS';
}
