/** What happens to retained checkpoints when the job ends (Flink's `ExternalizedCheckpointCleanup`; DESIGN.md section 7). */
export const ExternalizedCheckpointCleanup = {
  /** Kept when the job is cancelled or fails; deleted when it finishes. */
  RETAIN_ON_CANCELLATION: 'RETAIN_ON_CANCELLATION',
  /** Deleted when the job is cancelled or finishes; kept when it fails. */
  DELETE_ON_CANCELLATION: 'DELETE_ON_CANCELLATION',
  /** Checkpoints are not externalized: always deleted when the job ends (the default). */
  NO_EXTERNALIZED_CHECKPOINTS: 'NO_EXTERNALIZED_CHECKPOINTS',
} as const;
export type ExternalizedCheckpointCleanup = (typeof ExternalizedCheckpointCleanup)[keyof typeof ExternalizedCheckpointCleanup];
