/**
 * One subtask's writer of an exactly-once `FileSink` (see file-sink.ts for
 * the protocol in brief). Records are encoded into a memory buffer and
 * appended to the writer's in-progress part file in 64 KiB writes; the file
 * is opened at the first write after a checkpoint, so an idle subtask creates
 * no empty files.
 *
 * Files belong to a *writer lineage* `part-<writerId>-<n>`: a fresh writer
 * takes a new random id; a restored one continues the lineage of the first
 * state entry it receives. Every entry of a checkpoint goes to exactly one
 * writer, so within one attempt each lineage is touched by one writer only,
 * whatever the parallelism was before and is now: cleaning up never races
 * with another subtask's new files.
 *
 * - `snapshotState(n)`: writes the buffer, fsyncs and closes the in-progress
 *   file, which becomes pending for checkpoint n, and returns one state entry:
 *   the lineage, its part counter and every pending file.
 * - `notifyCheckpointComplete(n)`: commits (renames) the pending files of
 *   checkpoints ≤ n, then fsyncs the directory.
 * - `flush(true)` (end of input): tsflink has no final checkpoint after the
 *   input ends, so the writer closes and commits everything at once.
 * - `initializeState(entries)`: commits the pending files the entries list
 *   (a completed checkpoint covers them; the rename is idempotent), then
 *   deletes the part files — in progress or committed — of those lineages that
 *   the restored checkpoint does not cover: numbered from the entry's saved
 *   counter on. Their records come again from the restored sources.
 *   (Committed files past a checkpoint exist after an end-of-input commit or
 *   when an older checkpoint/savepoint is restored.) The counter continues
 *   after the highest part number of the lineage ever seen, so no name is reused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, opendir, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkWriter, SinkWriterContext } from '@tsflink/api';
import type { Encoder } from './encoder.js';
import { checkFileSinkWriterState } from './file-sink-state.js';
import type { FileSinkWriterState, PendingPartFile } from './file-sink-state.js';
import { commitPartFile, syncDirectory } from './part-file-commit.js';
import { committedPartFileName, inProgressPartFileName, parsePartFileName } from './part-file-names.js';

/** Bytes (approximately, for strings: characters) buffered before a write to the part file. */
export const DEFAULT_WRITE_BUFFER_SIZE = 64 * 1024;

/** The pseudo checkpoint id of the part closed at end of input (committed at once). */
const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

interface OpenPartFile {
  readonly partIndex: number;
  readonly inProgressFile: string;
  readonly handle: FileHandle;
  size: number;
}

/** A new lineage id: 8 random hex digits (version-1 lineages are decimal subtask indexes, which never have 8 digits). */
function newWriterId(): string {
  return randomBytes(4).toString('hex');
}

export class FileSinkWriter<T> implements SinkWriter<T, FileSinkWriterState> {
  private writerId = '';
  private nextPartIndex = 0;
  private pending: PendingPartFile[] = [];
  private current: OpenPartFile | undefined;
  private buffer: Array<string | Uint8Array> = [];
  private bufferedSize = 0;
  private ready: Promise<void> | undefined;

  /**
   * @param directory the sink's base directory (node:fs path), created if missing.
   */
  constructor(
    private readonly directory: string,
    private readonly encoder: Encoder<T>,
    private readonly context: SinkWriterContext,
    private readonly writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE,
  ) {}

  /** Restores from the entries of a checkpoint (`[]` on a fresh start); call once, before the first record. */
  initializeState(states: FileSinkWriterState[]): Promise<void> {
    if (this.ready !== undefined) throw new Error('FileSinkWriter.initializeState() must be called once, before the first record.');
    this.ready = this.restore(states.map(checkFileSinkWriterState));
    return this.ready;
  }

  write(value: T): void | Promise<void> {
    const encoded = this.encoder.encode(value);
    this.buffer.push(encoded);
    this.bufferedSize += typeof encoded === 'string' ? encoded.length : encoded.byteLength;
    if (this.bufferedSize >= this.writeBufferSize) return this.writeBuffered();
  }

  /** Nothing to do before a checkpoint: `snapshotState` makes the data durable. */
  async flush(endOfInput: boolean): Promise<void> {
    if (!endOfInput) return;
    await this.closePart(END_OF_INPUT);
    await this.commitUpTo(END_OF_INPUT);
  }

  async snapshotState(checkpointId: number): Promise<FileSinkWriterState[]> {
    await this.ensureReady();
    await this.closePart(checkpointId);
    return [{
      version: 2,
      writerId: this.writerId,
      subtaskIndex: this.context.subtaskIndex,
      nextPartIndex: this.nextPartIndex,
      pending: this.pending.map((p) => ({ checkpointId: p.checkpointId, inProgressFile: p.inProgressFile, committedFile: p.committedFile })),
    }];
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.commitUpTo(checkpointId);
  }

  /** Closes the open part file without committing it (a later restore deletes it) and drops buffered records. */
  async close(): Promise<void> {
    this.buffer = [];
    this.bufferedSize = 0;
    const part = this.current;
    this.current = undefined;
    if (part !== undefined) await part.handle.close();
  }

  private ensureReady(): Promise<void> {
    this.ready ??= this.restore([]);
    return this.ready;
  }

  private async restore(states: readonly FileSinkWriterState[]): Promise<void> {
    const dir = this.directory;
    await mkdir(dir, { recursive: true });

    let committed = 0;
    for (const state of states) {
      for (const file of state.pending) {
        await commitPartFile(dir, file);
        committed++;
      }
    }

    /** Lineage → first part number the restored checkpoint does not cover (only this writer touches these lineages). */
    const firstUncovered = new Map<string, number>(states.map((s) => [s.writerId, s.nextPartIndex]));
    const highest = new Map<string, number>(states.map((s) => [s.writerId, s.nextPartIndex - 1]));
    const uncovered: string[] = [];
    for await (const entry of await opendir(dir)) {
      const parsed = parsePartFileName(entry.name);
      if (parsed === undefined) continue;
      highest.set(parsed.writerId, Math.max(highest.get(parsed.writerId) ?? -1, parsed.partIndex));
      const from = firstUncovered.get(parsed.writerId);
      if (from !== undefined && parsed.partIndex >= from) uncovered.push(entry.name);
    }
    for (const name of uncovered) await rm(join(dir, name), { force: true });
    if (committed > 0 || uncovered.length > 0) await syncDirectory(dir);

    // Continue the first restored lineage; a writer without state starts a new one (never one the directory holds).
    let writerId = states[0]?.writerId;
    while (writerId === undefined || (states.length === 0 && highest.has(writerId))) writerId = newWriterId();
    this.writerId = writerId;
    this.nextPartIndex = (highest.get(writerId) ?? -1) + 1;
  }

  private async writeBuffered(): Promise<void> {
    await this.ensureReady();
    if (this.buffer.length === 0) return;
    const data = this.takeBuffer();
    this.current ??= await this.openPart();
    const part = this.current;
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await part.handle.write(data, written, data.length - written, part.size + written);
      written += bytesWritten;
    }
    part.size += written;
  }

  private takeBuffer(): Buffer {
    const pieces = this.buffer;
    this.buffer = [];
    this.bufferedSize = 0;
    if (pieces.every((p) => typeof p === 'string')) return Buffer.from((pieces as string[]).join(''), 'utf8');
    return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  }

  private async openPart(): Promise<OpenPartFile> {
    const partIndex = this.nextPartIndex++;
    const inProgressFile = inProgressPartFileName(this.writerId, partIndex, randomUUID());
    const handle = await open(join(this.directory, inProgressFile), 'wx');
    return { partIndex, inProgressFile, handle, size: 0 };
  }

  /** Makes the open part durable and pending for `checkpointId`. */
  private async closePart(checkpointId: number): Promise<void> {
    await this.writeBuffered();
    const part = this.current;
    if (part === undefined) return;
    this.current = undefined;
    await part.handle.sync();
    await part.handle.close();
    this.pending.push({
      checkpointId,
      inProgressFile: part.inProgressFile,
      committedFile: committedPartFileName(this.writerId, part.partIndex),
    });
  }

  private async commitUpTo(checkpointId: number): Promise<void> {
    const due = this.pending.filter((p) => p.checkpointId <= checkpointId);
    if (due.length === 0) return;
    for (const file of due) await commitPartFile(this.directory, file);
    this.pending = this.pending.filter((p) => p.checkpointId > checkpointId);
    await syncDirectory(this.directory);
  }
}
