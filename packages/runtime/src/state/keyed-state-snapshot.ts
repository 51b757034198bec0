import { ValueEncodingError } from '../serialization/codec-errors.js';
import type { ChunkBufferPool } from './chunk-buffer-pool.js';
import { ChunkedStateWriter, DEFAULT_STATE_CHUNK_BYTES } from './chunked-state-writer.js';
import { DEFAULT_SLICE_MS, EventLoopSlicer } from './event-loop-yield.js';
import type { KeyGroupRange, KeyGroupRangeLike } from './key-group-range.js';
import { KEYED_STATE_FORMAT_VERSION, writeKeyedStateHeader } from './keyed-state-format.js';
import type { KeyedStateMetaInfo } from './keyed-state-format.js';
import { writeMapKey } from './encoded-keys.js';
import { writeSectionValue } from './keyed-state-section.js';
import type { KeyedStateTable } from './keyed-state-table.js';
import type { KeyedStateTableCapture } from './keyed-state-table-capture.js';
import type { StateOutputStream } from './state-output-stream.js';

/** What a written keyed-state snapshot reports; with the storage path it becomes the state handle. */
export interface KeyedStateSnapshotResult {
  readonly checkpointId: number;
  /** Version of `keyed-state-format.ts` the bytes use. */
  readonly formatVersion: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRangeLike;
  /** Offset of each key group's block: `keyGroupOffsets[keyGroup - keyGroupRange.start]`. */
  readonly keyGroupOffsets: number[];
  /** Total bytes written. */
  readonly length: number;
  /** CRC-32 of all `length` bytes. */
  readonly checksum: number;
  /** Name and kind of every state, in state-index order. */
  readonly states: KeyedStateMetaInfo[];
}

/** Tuning of {@link HeapKeyedStateSnapshot.write}. */
export interface KeyedStateWriteOptions {
  /** Bytes per chunk handed to the sink (default 4 MiB). */
  readonly chunkSize?: number;
  /** Longest stretch of synchronous encoding before yielding to the event loop (default 10 ms). */
  readonly sliceMs?: number;
  /** Where chunk buffers come from when the sink releases chunks (default: the process-wide pool). */
  readonly chunkBuffers?: ChunkBufferPool;
}

/** One state as captured by a snapshot. */
export interface CapturedKeyedState {
  readonly meta: KeyedStateMetaInfo;
  readonly table: KeyedStateTable;
  readonly capture: KeyedStateTableCapture;
}

/**
 * A consistent view of a heap keyed backend at one checkpoint. Taking it was
 * O(key groups) and copied nothing; {@link write} then serialises it
 * asynchronously, key group by key group, while records keep changing the live
 * state: a record that writes to a group the snapshot has not reached yet makes
 * the table encode that group for the snapshot first (see `KeyedStateTable`),
 * and the writer copies those bytes when it gets there. Write it once, or
 * {@link release} it, so the backend stops doing that.
 */
export class HeapKeyedStateSnapshot {
  private written = false;
  private writing = false;
  private released = false;

  /**
   * @param checkpointId the checkpoint this snapshot belongs to
   * @param maxParallelism number of key groups of the job
   * @param keyGroupRange the backend's key groups
   * @param captured the states and what the snapshot holds of each
   */
  constructor(
    readonly checkpointId: number,
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
    private readonly captured: readonly CapturedKeyedState[],
  ) {}

  /** Name and kind of each captured state. */
  get states(): KeyedStateMetaInfo[] {
    return this.captured.map((c) => c.meta);
  }

  /**
   * Serialises the snapshot into `sink` (see `keyed-state-format.ts`) and releases
   * it. Chunks go to the sink as they fill; the encoding yields to the event loop
   * after every chunk and at least every `sliceMs`.
   */
  async write(sink: StateOutputStream, options: KeyedStateWriteOptions = {}): Promise<KeyedStateSnapshotResult> {
    if (this.written) throw new Error(`Snapshot of checkpoint ${this.checkpointId} was already written`);
    if (this.released) throw new Error(`Snapshot of checkpoint ${this.checkpointId} was already released`);
    this.written = true;
    this.writing = true;
    try {
      return await this.writeAll(sink, options);
    } finally {
      this.writing = false;
      this.releaseCaptures();
    }
  }

  /**
   * Releases the snapshot without writing it (for example when the checkpoint was
   * aborted), so writes stop encoding for it. Idempotent; ignored while a write is
   * in progress (the write releases when it ends).
   */
  release(): void {
    if (this.writing) return;
    this.releaseCaptures();
  }

  private releaseCaptures(): void {
    if (this.released) return;
    this.released = true;
    for (const { table, capture } of this.captured) table.release(capture);
  }

  private async writeAll(sink: StateOutputStream, options: KeyedStateWriteOptions): Promise<KeyedStateSnapshotResult> {
    const out = new ChunkedStateWriter(sink, options.chunkSize ?? DEFAULT_STATE_CHUNK_BYTES, options.chunkBuffers);
    const slicer = new EventLoopSlicer(options.sliceMs ?? DEFAULT_SLICE_MS);
    const range = this.keyGroupRange;
    try {
      writeKeyedStateHeader(out.writer, this.maxParallelism, range, this.states);
      const offsets = new Array<number>(range.size);
      for (let index = 0; index < range.size; index++) {
        offsets[index] = out.position;
        await this.writeBlock(out, slicer, index);
        if (out.full || slicer.due()) await pause(out, slicer);
      }
      await out.close();
      return {
        checkpointId: this.checkpointId,
        formatVersion: KEYED_STATE_FORMAT_VERSION,
        maxParallelism: this.maxParallelism,
        keyGroupRange: { start: range.start, end: range.end },
        keyGroupOffsets: offsets,
        length: out.position,
        checksum: out.checksum,
        states: this.states,
      };
    } catch (error) {
      await out.abandon();
      throw error;
    }
  }

  /**
   * One key group's block: each state's section, as encoded by the table ahead of
   * the writer, or by the table now (small groups, shared with other pending
   * snapshots), or streamed here (large groups, across event-loop turns).
   */
  private async writeBlock(out: ChunkedStateWriter, slicer: EventLoopSlicer, index: number): Promise<void> {
    const w = out.writer;
    out.beginBlock();
    w.writeUint32(this.keyGroupRange.start + index);
    let withEntries = 0;
    for (const { capture } of this.captured) if (capture.hasEntries(index)) withEntries++;
    w.writeVarUint(withEntries);
    for (let stateIndex = 0; stateIndex < this.captured.length; stateIndex++) {
      const { meta, table, capture } = this.captured[stateIndex]!;
      if (!capture.hasEntries(index)) continue;
      w.writeVarUint(stateIndex);
      if (capture.sections[index] === undefined) {
        try {
          table.encodePending(capture, index);
        } catch (error) {
          throw this.describe(error, meta, index);
        }
      }
      const section = capture.takeSection(index);
      if (section !== undefined) {
        await out.writeBytes(section.keys);
        await out.writeBytes(section.values);
      } else {
        await this.streamSection(out, slicer, stateIndex, index);
      }
    }
    out.endBlock();
  }

  /** Encodes a section the table did not encode, iterating the captured entries (keys, then values) across event-loop turns. */
  private async streamSection(out: ChunkedStateWriter, slicer: EventLoopSlicer, stateIndex: number, index: number): Promise<void> {
    const { meta, table, capture } = this.captured[stateIndex]!;
    const w = out.writer;
    const start = out.position;
    let bytes = 0;
    const entries = table.startStreaming(capture, index)!;
    try {
      w.resetShapes();
      w.writeVarUint(entries.length);
      for (let i = 0; i < entries.length; i++) {
        writeMapKey(w, entries[i]!.key);
        if (out.full || slicer.due()) await pause(out, slicer);
      }
      for (let i = 0; i < entries.length; i++) {
        writeSectionValue(w, meta.kind, entries[i]!.value);
        if (out.full || slicer.due()) await pause(out, slicer);
      }
      bytes = out.position - start;
    } catch (error) {
      throw this.describe(error, meta, index);
    } finally {
      table.finishStreaming(capture, index, bytes);
    }
  }

  /** A value encoding error, named with the state and key group; other errors as they are. */
  private describe(error: unknown, meta: KeyedStateMetaInfo, index: number): unknown {
    if (!(error instanceof ValueEncodingError)) return error;
    return new ValueEncodingError(`Cannot snapshot ${meta.kind} state '${meta.name}' (key group ${this.keyGroupRange.start + index}): ${error.message}`);
  }
}

/** Hands a full chunk to the sink, or else yields to the event loop; either way a new slice starts. */
async function pause(out: ChunkedStateWriter, slicer: EventLoopSlicer): Promise<void> {
  if (out.full) {
    await out.flush();
    slicer.restart();
  } else {
    await slicer.yield();
  }
}
