import type { StateKind } from '@tsflink/api';
import { ValueDecodingError } from '../serialization/codec-errors.js';
import { ValueReader } from '../serialization/value-reader.js';
import type { ValueWriter } from '../serialization/value-writer.js';
import type { KeyGroupRangeLike } from './key-group-range.js';
import { StateFormatError } from './state-errors.js';

/**
 * On-disk format of a keyed-state snapshot (one stream per operator subtask),
 * version 3. Integers are little-endian; values use the tsflink value encoding
 * (`serialization/value-tags.ts`).
 *
 * ```
 * header
 *   0   4  magic "TFKS"
 *   4   4  u32 format version (3; versions 1 and 2 are still read)
 *   8   4  u32 flags (0; reserved, for example for compression)
 *   12  4  u32 max parallelism
 *   16  4  u32 first key group of the range
 *   20  4  u32 number of key groups in the range
 *   24  4  u32 meta length M
 *   28  M  meta: one value, an array of [stateName, kind] pairs; a state's position
 *          in it is its "state index"
 * one block per key group of the range, in ascending order, starting at the offset
 * recorded for it in the handle (`keyGroupOffsets[keyGroup - start]`):
 *   u32      key group id
 *   varuint  number of states with entries in this key group
 *   per such state, in ascending state index:
 *     varuint  state index
 *     section (a shape scope of its own), "columnar":
 *       varuint  number of entries n
 *       n × key
 *       n × by kind, in the keys' order:
 *         value, reducing, aggregating:  the value
 *         list:                          the list as one array value
 *         map:                           varuint m, then m × (user key, value)
 *   u32      CRC-32 of the block's bytes before it
 * ```
 *
 * Keys are written as the user's keys (strings, numbers, booleans, arrays). A
 * block ends where the next key group's block starts, the last one at the
 * stream's length, so a restore can start reading at any key group's offset.
 *
 * Version 3 puts all keys of a section before all its values so that the keys
 * part — the count and the keys — stays byte for byte the same from one snapshot
 * to the next while a group's key set does not change (a running count changes
 * only values): a table keeps it and writes it again without encoding a key
 * (`EncodedKeys`).
 *
 * Version 2 interleaves them: each entry is its key, then its value (by kind as
 * above). Version 1 is version 2 except for the shape scopes: the whole block is
 * one scope (object shapes defined in one state's entries are referred to in the
 * next state's). Version 2 scopes each section separately so that a section can
 * be encoded on its own, before the rest of its block (`KeyedStateTable`:
 * serialize-on-write).
 */

/** The four bytes every keyed-state snapshot starts with. */
export const KEYED_STATE_MAGIC = 'TFKS';
/** The version this build writes. */
export const KEYED_STATE_FORMAT_VERSION = 3;
/** The versions this build reads. */
export const READABLE_KEYED_STATE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
/** Bytes of the fixed part of the header, before the meta. */
export const KEYED_STATE_FIXED_HEADER_BYTES = 28;
/** Bytes of the CRC at the end of each key-group block. */
export const KEY_GROUP_BLOCK_CRC_BYTES = 4;

const KINDS: readonly StateKind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];

/** Name and kind of one keyed state in a snapshot. */
export interface KeyedStateMetaInfo {
  readonly name: string;
  readonly kind: StateKind;
}

/** The fixed part of a keyed-state header. */
export interface KeyedStateFixedHeader {
  readonly version: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRangeLike;
  readonly metaLength: number;
}

/** Writes the whole header (fixed part and meta) of a snapshot in the current version. */
export function writeKeyedStateHeader(
  writer: ValueWriter,
  maxParallelism: number,
  range: KeyGroupRangeLike,
  states: readonly KeyedStateMetaInfo[],
): void {
  writer.writeBytes(Buffer.from(KEYED_STATE_MAGIC, 'latin1'));
  writer.writeUint32(KEYED_STATE_FORMAT_VERSION);
  writer.writeUint32(0);
  writer.writeUint32(maxParallelism);
  writer.writeUint32(range.start);
  writer.writeUint32(range.end - range.start + 1);
  const metaLengthAt = writer.length;
  writer.writeUint32(0);
  writer.resetShapes();
  writer.writeValue(states.map((s) => [s.name, s.kind]));
  writer.patchUint32(metaLengthAt, writer.length - metaLengthAt - 4);
}

/** Parses and checks the fixed part of the header (the first {@link KEYED_STATE_FIXED_HEADER_BYTES} bytes) of any readable version. */
export function readKeyedStateFixedHeader(bytes: Buffer, source: string): KeyedStateFixedHeader {
  if (bytes.length < KEYED_STATE_FIXED_HEADER_BYTES) {
    throw new StateFormatError(`${source} is not a keyed-state snapshot: only ${bytes.length} bytes`);
  }
  const magic = bytes.toString('latin1', 0, 4);
  if (magic !== KEYED_STATE_MAGIC) {
    throw new StateFormatError(`${source} is not a keyed-state snapshot (magic ${JSON.stringify(magic)}, expected "${KEYED_STATE_MAGIC}")`);
  }
  const version = bytes.readUInt32LE(4);
  if (!READABLE_KEYED_STATE_FORMAT_VERSIONS.includes(version)) {
    throw new StateFormatError(
      `${source} has keyed-state format version ${version}; this build reads versions ${READABLE_KEYED_STATE_FORMAT_VERSIONS.join(', ')}`,
    );
  }
  const flags = bytes.readUInt32LE(8);
  if (flags !== 0) throw new StateFormatError(`${source} uses unsupported keyed-state flags 0x${flags.toString(16)}`);
  const start = bytes.readUInt32LE(16);
  const count = bytes.readUInt32LE(20);
  return {
    version,
    maxParallelism: bytes.readUInt32LE(12),
    keyGroupRange: { start, end: start + count - 1 },
    metaLength: bytes.readUInt32LE(24),
  };
}

/** Parses the meta block of the header. */
export function readKeyedStateMeta(bytes: Buffer, source: string): KeyedStateMetaInfo[] {
  let value: unknown;
  try {
    const reader = new ValueReader(bytes);
    value = reader.readValue();
    if (reader.remaining !== 0) throw new ValueDecodingError(`${reader.remaining} trailing bytes`);
  } catch (error) {
    throw new StateFormatError(`${source} has a corrupt keyed-state header: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(value)) throw new StateFormatError(`${source} has a corrupt keyed-state header: meta is not a list`);
  return value.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !KINDS.includes(entry[1] as StateKind)) {
      throw new StateFormatError(`${source} has a corrupt keyed-state header: bad state entry ${JSON.stringify(entry)}`);
    }
    return { name: entry[0], kind: entry[1] as StateKind };
  });
}
