/**
 * A per-reader budget of records (Flink's `RateLimiter`, made batch-friendly:
 * a split reader asks for up to a batch of permits at once and, when it gets
 * none, waits on `whenAvailable()` instead of spinning).
 */
export interface RateLimiter {
  /** Takes up to `max` permits now and returns how many were granted (0 ≤ n ≤ max). Never waits. */
  acquire(max: number): number;
  /** Resolves when `acquire` will grant permits again; repeated calls while waiting share one promise. */
  whenAvailable(): Promise<void>;
  /** Cancels a pending wake-up (and resolves its promise). */
  close(): void;
}
