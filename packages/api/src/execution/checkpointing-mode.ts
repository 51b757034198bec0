/** Consistency guarantee of checkpoints (Flink's `CheckpointingMode`). */
export const CheckpointingMode = {
  /** Tasks with several inputs align barriers: each record is reflected exactly once in the state. */
  EXACTLY_ONCE: 'EXACTLY_ONCE',
  /** No alignment: lower latency, but after a restore some records may be reflected twice. */
  AT_LEAST_ONCE: 'AT_LEAST_ONCE',
} as const;
export type CheckpointingMode = (typeof CheckpointingMode)[keyof typeof CheckpointingMode];
