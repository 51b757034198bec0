/**
 * The JobGraph: the serializable plan of a job, built by `env.execute()` in plan
 * mode, shipped to the JobManager (as the `JobGraph` proto message, field for
 * field) and checked again by each TaskManager. It holds no user code: the user
 * functions are recovered by re-running the job's `main` in plan mode, and
 * matched by operator id (see `PlannedJob`).
 */

/** How records travel along an edge between two vertices (Flink's partitioners). */
export type PartitionerKind = 'forward' | 'rebalance' | 'rescale' | 'shuffle' | 'broadcast' | 'hash';

export type CheckpointingModeName = 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
export type ExternalizedCheckpointCleanupName =
  | 'RETAIN_ON_CANCELLATION' | 'DELETE_ON_CANCELLATION' | 'NO_EXTERNALIZED_CHECKPOINTS';

/** Checkpoint settings made in code; unset fields fall back to the cluster configuration. */
export interface JobCheckpointSettings {
  /** Interval in ms; 0 or absent = checkpointing disabled in code. */
  intervalMs?: number;
  mode?: CheckpointingModeName;
  timeoutMs?: number;
  minPauseMs?: number;
  maxConcurrent?: number;
  tolerableFailures?: number;
  externalizedCleanup?: ExternalizedCheckpointCleanupName;
}

export type RestartStrategySettings =
  | { type: 'none' }
  | { type: 'fixed-delay'; attempts: number; delayMs: number }
  | { type: 'exponential-delay'; initialDelayMs: number; maxDelayMs: number; multiplier: number; attempts?: number };

/** One operator inside a vertex's chain. */
export interface OperatorDescriptor {
  /** 32 lowercase hex chars: hash of the uid, the uid hash set by setUidHash, or of the graph position. */
  id: string;
  /** The user-given uid, if any. */
  uid?: string;
  name: string;
  /** The operator's `OperatorSpec` kind: 'source-function', 'source', 'map', 'flatMap', 'filter', 'process', 'keyedProcess', 'reduce', 'window', 'timestamps-watermarks', 'sink-function', 'sink' or 'print'. */
  kind: string;
  /** Whether the operator keeps state (keyed state, CheckpointedFunction, source positions); used for the missing-uid warning. */
  stateful: boolean;
  /** Operators of the same vertex this one feeds directly (by id). Empty for the chain's tail(s). */
  chainedOutputs: string[];
  /** Index into JobGraph.edges of the network edges this operator emits to. */
  outputEdges: number[];
}

export interface JobVertex {
  /** Equals the id of the head operator. */
  id: string;
  /** e.g. "Source: numbers -> Map" as Flink names chains. */
  name: string;
  parallelism: number;
  maxParallelism: number;
  /** Operators in topological order; operators[0] is the head and receives all input edges. */
  operators: OperatorDescriptor[];
  isSource: boolean;
}

export interface JobEdge {
  sourceVertex: string;
  /** The operator inside the source vertex that emits on this edge. */
  sourceOperator: string;
  targetVertex: string;
  partitioner: PartitionerKind;
  /**
   * The logical input of the target's head operator this edge feeds (0-based): 0 for every edge into a
   * one-input operator, including each edge of a union; 1 for the second input of two-input operators later.
   */
  targetInput: number;
  /** Side output tag for late data and other side outputs; absent for the main output. */
  sideOutputTag?: string;
}

export interface JobGraph {
  jobName: string;
  /** Vertices in topological order (sources first). */
  vertices: JobVertex[];
  edges: JobEdge[];
  /** The job-wide max parallelism: env.setMaxParallelism, else the plan-mode default (`pipeline.max-parallelism`), if any. */
  maxParallelism?: number;
  checkpoint: JobCheckpointSettings;
  restartStrategy?: RestartStrategySettings;
  /** Warnings to show the submitter (stateful operators without uid, ...). */
  warnings: string[];
}
