import { ValueEncodingError } from '../serialization/codec-errors.js';
import { ChunkedStateWriter, DEFAULT_STATE_CHUNK_BYTES } from './chunked-state-writer.js';
import { DEFAULT_SLICE_MS, EventLoopSlicer } from './event-loop-yield.js';
import type { StateMapKey } from './key-context.js';
import type { KeyGroupRange, KeyGroupRangeLike } from './key-group-range.js';
import { mapKeyToKey } from './key-hash.js';
import { KEYED_STATE_FORMAT_VERSION, writeKeyedStateHeader } from './keyed-state-format.js';
import type { KeyedStateMetaInfo } from './keyed-state-format.js';
import type { KeyGroupMaps } from './keyed-state-table.js';
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
}

/** One state as captured by a snapshot. */
export interface CapturedKeyedState {
  readonly meta: KeyedStateMetaInfo;
  readonly maps: KeyGroupMaps;
}

/**
 * A consistent, copy-on-write view of a heap keyed backend at one checkpoint.
 * Taking it was O(key groups); {@link write} then serialises it asynchronously
 * while records keep changing the live state (their writes copy just the touched
 * key groups). Write it once, or {@link release} it, so the backend stops copying.
 */
export class HeapKeyedStateSnapshot {
  private written = false;
  private writing = false;
  private released = false;

  /**
   * @param checkpointId the checkpoint this snapshot belongs to
   * @param maxParallelism number of key groups of the job
   * @param keyGroupRange the backend's key groups
   * @param captured the states and their pinned maps
   * @param onRelease unpins the maps in the backend (called once)
   */
  constructor(
    readonly checkpointId: number,
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
    private readonly captured: readonly CapturedKeyedState[],
    private readonly onRelease: () => void,
  ) {}

  /** Name and kind of each captured state. */
  get states(): KeyedStateMetaInfo[] {
    return this.captured.map((c) => c.meta);
  }

  /**
   * Serialises the snapshot into `sink` (see `keyed-state-format.ts`) and releases
   * it. Chunks go to the sink as they fill; the encoding yields to the event loop
   * after every chunk and at least every `sliceMs` (the pinned maps cannot change
   * meanwhile, so iteration simply resumes).
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
      this.releasePins();
    }
  }

  /**
   * Releases the snapshot without writing it (for example when the checkpoint was
   * aborted), so the backend stops copying. Idempotent; ignored while a write is in
   * progress (the write releases when it ends: its maps must not change under it).
   */
  release(): void {
    if (this.writing) return;
    this.releasePins();
  }

  private releasePins(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }

  private async writeAll(sink: StateOutputStream, options: KeyedStateWriteOptions): Promise<KeyedStateSnapshotResult> {
    const out = new ChunkedStateWriter(sink, options.chunkSize ?? DEFAULT_STATE_CHUNK_BYTES);
    const slicer = new EventLoopSlicer(options.sliceMs ?? DEFAULT_SLICE_MS);
    const w = out.writer;
    const range = this.keyGroupRange;
    writeKeyedStateHeader(w, this.maxParallelism, range, this.states);

    const offsets = new Array<number>(range.size);
    for (let index = 0; index < range.size; index++) {
      offsets[index] = out.position;
      out.beginBlock();
      w.resetShapes();
      w.writeUint32(range.start + index);
      let nonEmpty = 0;
      for (const state of this.captured) if ((state.maps[index]?.size ?? 0) > 0) nonEmpty++;
      w.writeVarUint(nonEmpty);
      for (let stateIndex = 0; stateIndex < this.captured.length; stateIndex++) {
        const { meta, maps } = this.captured[stateIndex]!;
        const map = maps[index];
        if (map === undefined || map.size === 0) continue;
        w.writeVarUint(stateIndex);
        w.writeVarUint(map.size);
        try {
          for (const [key, value] of map) {
            w.writeValue(mapKeyToKey(key));
            if (meta.kind === 'map') writeInnerMap(out, value as Map<StateMapKey, unknown>);
            else w.writeValue(value);
            if (out.full) {
              await out.flush();
              slicer.restart();
            } else if (slicer.due()) {
              await slicer.yield();
            }
          }
        } catch (error) {
          if (!(error instanceof ValueEncodingError)) throw error;
          throw new ValueEncodingError(`Cannot snapshot ${meta.kind} state '${meta.name}' (key group ${range.start + index}): ${error.message}`);
        }
      }
      out.endBlock();
      if (out.full) {
        await out.flush();
        slicer.restart();
      } else if (slicer.due()) {
        await slicer.yield();
      }
    }
    await out.flush();
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
  }
}

function writeInnerMap(out: ChunkedStateWriter, inner: Map<StateMapKey, unknown>): void {
  const w = out.writer;
  w.writeVarUint(inner.size);
  for (const [userKey, value] of inner) {
    w.writeValue(mapKeyToKey(userKey));
    w.writeValue(value);
  }
}
