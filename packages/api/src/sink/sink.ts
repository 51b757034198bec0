/**
 * Sinks for `DataStream.sinkTo` (Flink's Sink V2, simplified): a `Sink` is a
 * factory of one `SinkWriter` per subtask. The optional checkpoint hooks make
 * exactly-once sinks possible (e.g. a FileSink that moves pending files to their
 * final name in `notifyCheckpointComplete`).
 *
 * Call order per subtask: `createWriter` → `initializeState(restored)` (only when
 * `stateful`, always called, with `[]` on a fresh start) → `write`* interleaved
 * with `snapshotState(n)` (after `flush(false)`) and `notifyCheckpointComplete(n)`
 * → at end of input `flush(true)` → `close()`.
 */

/** What a writer knows about its subtask. */
export interface SinkWriterContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** 0 for the first run, then 1, 2, ... after each restart. */
  readonly attemptNumber: number;
}

/** Per-record context handed to `write`. */
export interface SinkWriteContext {
  /** The record's event timestamp, or undefined when it has none. */
  readonly timestamp: number | undefined;
  readonly currentWatermark: number;
}

export interface SinkWriter<T, StateT = unknown> {
  /** Writes one record; a returned promise is awaited before the next record. */
  write(value: T, context: SinkWriteContext): void | Promise<void>;
  /** Makes written data durable enough for a checkpoint (`endOfInput` false) or for the end of the job (true). */
  flush?(endOfInput: boolean): void | Promise<void>;
  /**
   * Receives the states this subtask owns after a restore: what `snapshotState`
   * returned, possibly from several old subtasks when the parallelism changed
   * (entries are redistributed round-robin, like operator list state).
   */
  initializeState?(state: StateT[]): void | Promise<void>;
  /** Returns the writer's state for checkpoint `checkpointId` as JSON-serializable entries. */
  snapshotState?(checkpointId: number): StateT[] | Promise<StateT[]>;
  /** Checkpoint `checkpointId` is complete: commit what it covers. */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface Sink<T, StateT = unknown> {
  createWriter(context: SinkWriterContext): SinkWriter<T, StateT>;
  /**
   * True when the writers keep state across checkpoints (`snapshotState`). Used
   * at planning time, before any writer exists, to warn about a missing uid.
   */
  readonly stateful?: boolean;
}

/** True for objects usable with `sinkTo`. */
export function isSink(value: unknown): value is Sink<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Partial<Sink<unknown>>).createWriter === 'function';
}
