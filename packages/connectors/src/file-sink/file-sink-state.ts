/**
 * What a FileSink writer checkpoints: one JSON entry per subtask and
 * checkpoint. A format users' checkpoints depend on: change it only with a
 * new `version` and a reader for the old one.
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
  readonly version: 1;
  /** The subtask that wrote the files. */
  readonly subtaskIndex: number;
  /**
   * Its part counter at the snapshot: its part files numbered below this were
   * all closed by then (committed or listed in `pending`); those numbered from
   * here on were started later, so after a restore to this checkpoint they are
   * leftovers to delete.
   */
  readonly nextPartIndex: number;
  /** Closed files not committed at the snapshot, oldest first. */
  readonly pending: readonly PendingPartFile[];
}

/** @throws FileSinkStateError when `value` is not a state this version can restore. */
export function checkFileSinkWriterState(value: unknown): FileSinkWriterState {
  const s = value as Partial<FileSinkWriterState> | null;
  if (s === null || typeof s !== 'object') throw new FileSinkStateError(`expected an object, got ${JSON.stringify(value)}`);
  if (s.version !== 1) throw new FileSinkStateError(`unknown state version ${JSON.stringify(s.version)} (this FileSink reads version 1)`);
  if (!Number.isSafeInteger(s.subtaskIndex) || !Number.isSafeInteger(s.nextPartIndex) || !Array.isArray(s.pending)) {
    throw new FileSinkStateError(`malformed entry ${JSON.stringify(value)}`);
  }
  for (const p of s.pending) {
    if (p === null || typeof p !== 'object' || typeof p.inProgressFile !== 'string' || typeof p.committedFile !== 'string'
      || !Number.isSafeInteger(p.checkpointId)) {
      throw new FileSinkStateError(`malformed pending file ${JSON.stringify(p)}`);
    }
  }
  return s as FileSinkWriterState;
}
