/**
 * Split-based sources (Flink's FLIP-27 `Source`, simplified). The runtime
 * *pulls* records with `pollNext`, so back-pressure and checkpoint barriers need
 * no lock: between two polls the reader is quiescent and `snapshotState` sees a
 * consistent position.
 *
 * Lifecycle, per job:
 * 1. At the job's first start (nothing restored) the splits come from
 *    `createSplits(p)`, `p` being the source's parallelism. It must be
 *    deterministic: the runtime may call it once and distribute the result, or
 *    call it in every subtask and keep its share (split i to subtask i mod p).
 *    Splits are plain JSON-serializable objects that carry their own position
 *    (an offset, the next index, ...).
 * 2. Each subtask gets a reader (`createReader`), `start()`, then `addSplits`
 *    once with its share of the splits, before the first `pollNext`.
 * 3. On a checkpoint the runtime calls `snapshotState(id)` between two polls and
 *    stores the returned splits (current positions) as the subtask's state.
 * 4. On restore, each subtask gets its saved splits instead of new ones; on a
 *    parallelism change all saved splits are redistributed round-robin.
 */

/** Whether a source ends (Flink's `Boundedness`). */
export const Boundedness = {
  BOUNDED: 'BOUNDED',
  CONTINUOUS_UNBOUNDED: 'CONTINUOUS_UNBOUNDED',
} as const;
export type Boundedness = (typeof Boundedness)[keyof typeof Boundedness];

/** What `pollNext` reports (Flink's `InputStatus`). */
export const InputStatus = {
  /** Call `pollNext` again right away. */
  MORE_AVAILABLE: 'MORE_AVAILABLE',
  /** Wait for `isAvailable()` before polling again. */
  NOTHING_AVAILABLE: 'NOTHING_AVAILABLE',
  /** The reader is done (the records emitted by this very call still count). */
  END_OF_INPUT: 'END_OF_INPUT',
} as const;
export type InputStatus = (typeof InputStatus)[keyof typeof InputStatus];

/** A unit of work with its position; must survive `JSON.stringify`/`JSON.parse`. */
export interface SourceSplit {
  readonly splitId: string;
}

/** Where the records of `pollNext` go. */
export interface ReaderOutput<T> {
  /** Emits a record, with its event timestamp when the source knows one. */
  collect(record: T, timestamp?: number): void;
}

/** What a reader knows about its subtask. */
export interface SourceReaderContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** 0 for the first run, then 1, 2, ... after each restart. */
  readonly attemptNumber: number;
}

export interface SourceReader<T, SplitT extends SourceSplit> {
  start?(): void | Promise<void>;
  /** Hands the reader its splits (new ones, or restored ones with their saved positions). */
  addSplits(splits: SplitT[]): void;
  /** Emits up to one batch of records and says whether more are available now. */
  pollNext(output: ReaderOutput<T>): InputStatus | Promise<InputStatus>;
  /** Resolves when `pollNext` has something again after it returned NOTHING_AVAILABLE. */
  isAvailable(): Promise<void>;
  /** The splits with their current positions; finished splits may be left out. */
  snapshotState(checkpointId: number): SplitT[];
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface Source<T, SplitT extends SourceSplit = SourceSplit> {
  getBoundedness(): Boundedness;
  /** Splits for a fresh start of the job (deterministic, see above); from then on the splits are the source's state. */
  createSplits(parallelism: number): SplitT[];
  createReader(context: SourceReaderContext): SourceReader<T, SplitT>;
}

/** True for split-based sources (as opposed to legacy `SourceFunction`s). */
export function isSplitSource(value: unknown): value is Source<unknown, SourceSplit> {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<Source<unknown, SourceSplit>>;
  return typeof s.createReader === 'function' && typeof s.createSplits === 'function'
    && typeof s.getBoundedness === 'function';
}
