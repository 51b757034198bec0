/**
 * Checkpoint settings made in code (Flink's `CheckpointConfig`). Only what the
 * job sets travels in the JobGraph (`toSettings()`); everything else falls back
 * to the cluster configuration (`execution.checkpointing.*`). The getters return
 * the effective value with Flink's defaults for unset fields.
 */
import type { JobCheckpointSettings } from '../graph/job-graph.js';
import { CheckpointingMode } from './checkpointing-mode.js';
import { ExternalizedCheckpointCleanup } from './externalized-checkpoint-cleanup.js';

/** The smallest interval and timeout Flink accepts, in ms. */
export const MINIMAL_CHECKPOINT_TIME = 10;
/** Flink's default checkpoint timeout: 10 minutes. */
export const DEFAULT_CHECKPOINT_TIMEOUT = 600_000;

export class CheckpointConfig {
  /** So `CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION` works as in Flink. */
  static readonly ExternalizedCheckpointCleanup = ExternalizedCheckpointCleanup;

  private settings: JobCheckpointSettings = {};

  /** Sets the interval in ms; checkpointing is enabled from then on. */
  setCheckpointInterval(intervalMs: number): void {
    if (!Number.isFinite(intervalMs) || intervalMs < MINIMAL_CHECKPOINT_TIME) {
      throw new Error(`Checkpoint interval must be larger than or equal to ${MINIMAL_CHECKPOINT_TIME} ms`);
    }
    this.settings.intervalMs = intervalMs;
  }

  /** The interval in ms, or -1 when checkpointing is not enabled in code. */
  getCheckpointInterval(): number {
    return this.settings.intervalMs ?? -1;
  }

  isCheckpointingEnabled(): boolean {
    return this.settings.intervalMs !== undefined && this.settings.intervalMs > 0;
  }

  setCheckpointingMode(mode: CheckpointingMode): void {
    if (mode !== CheckpointingMode.EXACTLY_ONCE && mode !== CheckpointingMode.AT_LEAST_ONCE) {
      throw new Error(`Unknown checkpointing mode "${String(mode)}": use CheckpointingMode.EXACTLY_ONCE or CheckpointingMode.AT_LEAST_ONCE.`);
    }
    this.settings.mode = mode;
  }

  getCheckpointingMode(): CheckpointingMode {
    return this.settings.mode ?? CheckpointingMode.EXACTLY_ONCE;
  }

  setCheckpointTimeout(timeoutMs: number): void {
    if (!Number.isFinite(timeoutMs) || timeoutMs < MINIMAL_CHECKPOINT_TIME) {
      throw new Error(`Checkpoint timeout must be larger than or equal to ${MINIMAL_CHECKPOINT_TIME} ms`);
    }
    this.settings.timeoutMs = timeoutMs;
  }

  getCheckpointTimeout(): number {
    return this.settings.timeoutMs ?? DEFAULT_CHECKPOINT_TIMEOUT;
  }

  setMinPauseBetweenCheckpoints(minPauseMs: number): void {
    if (!Number.isFinite(minPauseMs) || minPauseMs < 0) throw new Error('Pause value must be zero or positive');
    this.settings.minPauseMs = minPauseMs;
  }

  getMinPauseBetweenCheckpoints(): number {
    return this.settings.minPauseMs ?? 0;
  }

  setMaxConcurrentCheckpoints(maxConcurrent: number): void {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new Error('The maximum number of concurrent attempts must be at least one.');
    }
    this.settings.maxConcurrent = maxConcurrent;
  }

  getMaxConcurrentCheckpoints(): number {
    return this.settings.maxConcurrent ?? 1;
  }

  setTolerableCheckpointFailureNumber(tolerableFailures: number): void {
    if (!Number.isInteger(tolerableFailures) || tolerableFailures < 0) {
      throw new Error('The tolerable failure checkpoint number must be non-negative.');
    }
    this.settings.tolerableFailures = tolerableFailures;
  }

  getTolerableCheckpointFailureNumber(): number {
    return this.settings.tolerableFailures ?? 0;
  }

  /** Retains completed checkpoints outside the job according to `cleanup` (Flink's older name). */
  enableExternalizedCheckpoints(cleanup: ExternalizedCheckpointCleanup): void {
    this.setExternalizedCheckpointCleanup(cleanup);
  }

  setExternalizedCheckpointCleanup(cleanup: ExternalizedCheckpointCleanup): void {
    if (!Object.values(ExternalizedCheckpointCleanup).includes(cleanup)) {
      throw new Error(`Unknown externalized checkpoint cleanup "${String(cleanup)}": use one of ${Object.values(ExternalizedCheckpointCleanup).join(', ')}.`);
    }
    this.settings.externalizedCleanup = cleanup;
  }

  getExternalizedCheckpointCleanup(): ExternalizedCheckpointCleanup {
    return this.settings.externalizedCleanup ?? ExternalizedCheckpointCleanup.NO_EXTERNALIZED_CHECKPOINTS;
  }

  isExternalizedCheckpointsEnabled(): boolean {
    return this.getExternalizedCheckpointCleanup() !== ExternalizedCheckpointCleanup.NO_EXTERNALIZED_CHECKPOINTS;
  }

  /** The settings made in code, for the JobGraph (unset fields are absent). */
  toSettings(): JobCheckpointSettings {
    return { ...this.settings };
  }
}
