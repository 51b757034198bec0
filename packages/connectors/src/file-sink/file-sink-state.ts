/**
 * What a FileSink writer checkpoints: one JSON entry per writer and
 * checkpoint. A format users' checkpoints depend on: change it only with a
 * new `version` and a reader for the old ones.
 *
 * Version 2 names the writer's lineage of files by `writerId`; version 1 entries
 * (no `writerId`) stand for the files named after their subtask index.
 */
import { FileSinkStateError } from '../connector-errors.js';

/** A closed part file waiting for its checkpoint to complete; names are relative to the sink's base path. */
export interface PendingPartFile {
  /** The checkpoint whose snapshot closed the file: it is committed once a checkpoint ≥ this one completes. */
  readonly checkpointId: number;
  readonly inProgressFile: string;
  readonly committedFile: string;
}

export interface FileSinkWriterState {
  readonly version: 2;
  /** The lineage of part files (`part-<writerId>-<n>`) this entry describes; one writer at a time owns it. */
  readonly writerId: string;
  /** The subtask that wrote the entry (for information). */
  readonly subtaskIndex: number;
  /**
   * The part counter at the snapshot: the lineage's files numbered below this
   * were all closed by then (committed or listed in `pending`); those numbered
   * from here on were started later, so after a restore to this checkpoint they
   * are leftovers to delete.
   */
  readonly nextPartIndex: number;
  /** Closed files not committed at the snapshot, oldest first. */
  readonly pending: readonly PendingPartFile[];
}

/**
 * Checks a restored entry and brings it to the current version.
 * @throws FileSinkStateError when `value` is not a state this version can restore.
 */
export function checkFileSinkWriterState(value: unknown): FileSinkWriterState {
  const s = value as (Partial<Omit<FileSinkWriterState, 'version'>> & { version?: unknown }) | null;
  if (s === null || typeof s !== 'object') throw new FileSinkStateError(`expected an object, got ${JSON.stringify(value)}`);
  if (s.version !== 1 && s.version !== 2) {
    throw new FileSinkStateError(`unknown state version ${JSON.stringify(s.version)} (this FileSink reads versions 1 and 2)`);
  }
  const writerId = s.version === 1 ? String(s.subtaskIndex) : s.writerId;
  if (!Number.isSafeInteger(s.subtaskIndex) || !Number.isSafeInteger(s.nextPartIndex) || !Array.isArray(s.pending)
    || typeof writerId !== 'string' || !/^[0-9a-f]+$/.test(writerId)) {
    throw new FileSinkStateError(`malformed entry ${JSON.stringify(value)}`);
  }
  for (const p of s.pending) {
    if (p === null || typeof p !== 'object' || typeof p.inProgressFile !== 'string' || typeof p.committedFile !== 'string'
      || !Number.isSafeInteger(p.checkpointId)) {
      throw new FileSinkStateError(`malformed pending file ${JSON.stringify(p)}`);
    }
  }
  return { version: 2, writerId, subtaskIndex: s.subtaskIndex!, nextPartIndex: s.nextPartIndex!, pending: s.pending };
}
