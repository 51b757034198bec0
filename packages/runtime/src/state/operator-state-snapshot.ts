import { ValueEncodingError } from '../serialization/codec-errors.js';
import { ValueWriter } from '../serialization/value-writer.js';
import { DEFAULT_STATE_CHUNK_BYTES } from './chunked-state-writer.js';
import { crc32 } from './crc32.js';
import type { OperatorListState } from './operator-list-state.js';
import { OPERATOR_STATE_FORMAT_VERSION, OPERATOR_STATE_MAGIC, encodeDistributionMode } from './operator-state-format.js';
import type { OperatorStateMetaInfo } from './operator-state-format.js';
import type { StateOutputStream } from './state-output-stream.js';

/** What a written operator-state snapshot reports; with the storage path it becomes the state handle. */
export interface OperatorStateSnapshotResult {
  readonly checkpointId: number;
  /** Version of `operator-state-format.ts` the bytes use. */
  readonly formatVersion: number;
  /** Total bytes. */
  readonly length: number;
  /** CRC-32 of all bytes. */
  readonly checksum: number;
  /** Per state name: distribution mode and element offsets. */
  readonly states: Readonly<Record<string, OperatorStateMetaInfo>>;
}

/**
 * Operator state of one subtask at one checkpoint, already encoded. Operator state
 * is small by design (source positions, pending transactions), so it is encoded in
 * the synchronous part, which is also its consistent copy; {@link write} only
 * hands the bytes to the storage.
 */
export class OperatorStateSnapshot {
  private constructor(readonly result: OperatorStateSnapshotResult, private readonly bytes: Buffer) {}

  /** Encodes the given states (see `operator-state-format.ts`). */
  static encode(checkpointId: number, states: readonly OperatorListState<unknown>[]): OperatorStateSnapshot {
    const w = new ValueWriter(4096);
    w.writeBytes(Buffer.from(OPERATOR_STATE_MAGIC, 'latin1'));
    w.writeUint32(OPERATOR_STATE_FORMAT_VERSION);
    w.writeUint32(0);
    const metas = Object.create(null) as Record<string, OperatorStateMetaInfo>;
    for (const state of states) {
      const blockStart = w.length;
      w.resetShapes();
      w.writeValue(state.name);
      w.writeUint8(encodeDistributionMode(state.mode));
      const elements = state.toArray();
      w.writeVarUint(elements.length);
      const offsets = new Array<number>(elements.length);
      for (let i = 0; i < elements.length; i++) {
        offsets[i] = w.length;
        w.resetShapes();
        try {
          w.writeValue(elements[i]);
        } catch (error) {
          if (!(error instanceof ValueEncodingError)) throw error;
          throw new ValueEncodingError(`Cannot snapshot operator state '${state.name}' (element ${i}): ${error.message}`);
        }
      }
      w.writeUint32(crc32(w.bytes().subarray(blockStart)));
      metas[state.name] = { mode: state.mode, offsets };
    }
    const bytes = w.copyBytes();
    return new OperatorStateSnapshot({
      checkpointId,
      formatVersion: OPERATOR_STATE_FORMAT_VERSION,
      length: bytes.length,
      checksum: crc32(bytes),
      states: metas,
    }, bytes);
  }

  /** Size of the encoded snapshot in bytes. */
  get length(): number {
    return this.bytes.length;
  }

  /** Hands the bytes to `sink` in chunks of at most `chunkSize` and returns {@link result}. */
  async write(sink: StateOutputStream, chunkSize = DEFAULT_STATE_CHUNK_BYTES): Promise<OperatorStateSnapshotResult> {
    for (let offset = 0; offset < this.bytes.length; offset += chunkSize) {
      await sink.write(this.bytes.subarray(offset, Math.min(offset + chunkSize, this.bytes.length)));
    }
    return this.result;
  }
}
