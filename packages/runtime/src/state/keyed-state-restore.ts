import { ShapeReaderCache } from '../serialization/shape-reader-cache.js';
import { ValueReader } from '../serialization/value-reader.js';
import { crc32 } from './crc32.js';
import { DEFAULT_SLICE_MS, EventLoopSlicer } from './event-loop-yield.js';
import type { StateMapKey } from './key-context.js';
import { KeyGroupRange } from './key-group-range.js';
import type { KeyGroupRangeLike } from './key-group-range.js';
import { keyToMapKey } from './key-hash.js';
import {
  KEY_GROUP_BLOCK_CRC_BYTES, KEYED_STATE_FIXED_HEADER_BYTES, readKeyedStateFixedHeader, readKeyedStateMeta,
} from './keyed-state-format.js';
import type { KeyedStateMetaInfo } from './keyed-state-format.js';
import type { KeyedStateTable } from './keyed-state-table.js';
import { IncompatibleStateError, StateFormatError } from './state-errors.js';
import type { StateByteReader } from './state-output-stream.js';

/** A previously written keyed-state snapshot to restore from: its bytes and its handle's fields. */
export interface KeyedStateSource {
  /** Reads `length` bytes at `offset` of the snapshot stream. */
  readonly bytes: StateByteReader;
  readonly keyGroupRange: KeyGroupRangeLike;
  readonly keyGroupOffsets: readonly number[];
  /** Total length of the stream (the handle's `length`): where the last key group's block ends. */
  readonly length: number;
  /** Names the source in errors, for example its file path. */
  readonly description?: string;
}

/** Where restored entries go. */
export interface KeyedStateRestoreTarget {
  readonly keyGroupRange: KeyGroupRange;
  readonly maxParallelism: number;
  /** The table for a restored state, registered if new; throws when the name exists with another kind. */
  restoredTable(meta: KeyedStateMetaInfo): KeyedStateTable;
}

/** Counts of what a restore read. */
export interface KeyedStateRestoreStats {
  keyGroups: number;
  entries: number;
  bytesRead: number;
}

/** Default upper bound of one ranged read (several small key groups are read at once). */
export const DEFAULT_RESTORE_READ_BYTES = 4 * 1024 * 1024;

/**
 * Restores the key groups of `source` that fall in the target's range, and only
 * those: with the same max parallelism a snapshot taken at any parallelism maps
 * onto any other. Reads the header (checking magic, version, max parallelism and
 * range), then the wanted blocks in ranged reads of up to `readBytes` (the next
 * read runs while a range decodes), checking each block's CRC, and yields to the
 * event loop at least every `sliceMs`.
 */
export async function restoreKeyedStateSource(
  source: KeyedStateSource,
  target: KeyedStateRestoreTarget,
  readBytes = DEFAULT_RESTORE_READ_BYTES,
  sliceMs = DEFAULT_SLICE_MS,
): Promise<KeyedStateRestoreStats> {
  const name = source.description ?? 'keyed-state snapshot';
  const sourceRange = KeyGroupRange.of(source.keyGroupRange);
  const stats: KeyedStateRestoreStats = { keyGroups: 0, entries: 0, bytesRead: 0 };
  const wanted = sourceRange.intersect(target.keyGroupRange);
  if (wanted.isEmpty) return stats;
  checkOffsets(source, sourceRange, name);

  const fixed = readKeyedStateFixedHeader(await readExactly(source, 0, KEYED_STATE_FIXED_HEADER_BYTES, name), name);
  if (fixed.maxParallelism !== target.maxParallelism) {
    throw new IncompatibleStateError(
      `${name} was written with max parallelism ${fixed.maxParallelism}, but the operator now has max parallelism ` +
      `${target.maxParallelism}; keyed state can only be restored with the same max parallelism`,
    );
  }
  if (!sourceRange.equals(fixed.keyGroupRange)) {
    throw new StateFormatError(
      `${name} holds key groups [${fixed.keyGroupRange.start}, ${fixed.keyGroupRange.end}] but its handle says [${sourceRange.start}, ${sourceRange.end}]`,
    );
  }
  const metas = readKeyedStateMeta(await readExactly(source, KEYED_STATE_FIXED_HEADER_BYTES, fixed.metaLength, name), name);
  const tables = metas.map((meta) => target.restoredTable(meta));
  stats.bytesRead += KEYED_STATE_FIXED_HEADER_BYTES + fixed.metaLength;

  const offsetOf = (kg: number): number => source.keyGroupOffsets[kg - sourceRange.start]!;
  const endOf = (kg: number): number => (kg < sourceRange.end ? offsetOf(kg + 1) : source.length);
  // Ranged reads of up to `readBytes`, each covering whole key groups; the next one is read while this one decodes.
  const reads: Array<{ first: number; last: number; from: number; to: number }> = [];
  for (let kg = wanted.start; kg <= wanted.end;) {
    const first = kg;
    const from = offsetOf(kg);
    let to = endOf(kg++);
    while (kg <= wanted.end && endOf(kg) - from <= readBytes) to = endOf(kg++);
    reads.push({ first, last: kg - 1, from, to });
  }
  const fetch = (i: number): Promise<Buffer> | undefined => {
    const range = reads[i];
    if (range === undefined) return undefined;
    const pending = readExactly(source, range.from, range.to - range.from, name);
    pending.catch(() => {}); // surfaces when awaited; not unhandled if decoding fails first
    return pending;
  };
  const cache = new ShapeReaderCache();
  const slicer = new EventLoopSlicer(sliceMs);
  let next = fetch(0);
  for (let i = 0; i < reads.length; i++) {
    const { first, last, from } = reads[i]!;
    const chunk = await next!;
    next = fetch(i + 1);
    stats.bytesRead += chunk.length;
    for (let g = first; g <= last; g++) {
      stats.entries += await restoreBlock(chunk, offsetOf(g) - from, endOf(g) - from, g, fixed.version, tables, target, cache, slicer, name);
      stats.keyGroups++;
    }
  }
  return stats;
}

/** Decodes one key group's block (of format `version`) into the tables, yielding when a slice is used up; returns the number of entries. */
async function restoreBlock(
  chunk: Buffer,
  start: number,
  end: number,
  keyGroup: number,
  version: number,
  tables: readonly KeyedStateTable[],
  target: KeyedStateRestoreTarget,
  cache: ShapeReaderCache,
  slicer: EventLoopSlicer,
  name: string,
): Promise<number> {
  const bodyEnd = end - KEY_GROUP_BLOCK_CRC_BYTES;
  if (bodyEnd < start + 5) throw new StateFormatError(`${name}: key group ${keyGroup} is truncated (${end - start} bytes)`);
  const expectedCrc = chunk.readUInt32LE(bodyEnd);
  if (crc32(chunk.subarray(start, bodyEnd)) !== expectedCrc) {
    throw new StateFormatError(`${name}: key group ${keyGroup} is corrupt (checksum mismatch)`);
  }
  const keyGroupIndex = keyGroup - target.keyGroupRange.start;
  let entries = 0;
  try {
    const reader = new ValueReader(chunk, start, bodyEnd, cache);
    const stored = reader.readUint32();
    if (stored !== keyGroup) throw new Error(`block at the offset of key group ${keyGroup} holds key group ${stored}`);
    const stateCount = reader.readVarUint();
    for (let s = 0; s < stateCount; s++) {
      const stateIndex = reader.readVarUint();
      const table = tables[stateIndex];
      if (table === undefined) throw new Error(`unknown state index ${stateIndex}`);
      if (version >= 2) reader.resetShapes(); // each state's section is a shape scope of its own
      const count = reader.readVarUint();
      const isMap = table.kind === 'map';
      // A section's keys are distinct, and a key lives in one key group only: into an empty group every key is new.
      const intoEmptyGroup = table.keyGroupSize(keyGroupIndex) === 0;
      // Version 3 holds all keys of the section, then all values in the same order; earlier ones each key before its value.
      const keys = version >= 3 ? await readKeys(reader, count, slicer) : undefined;
      for (let i = 0; i < count; i++) {
        const key = keys !== undefined ? keys[i]! : keyToMapKey(reader.readValue());
        table.restore(keyGroupIndex, key, isMap ? readInnerMap(reader) : reader.readValue(), intoEmptyGroup);
        if (slicer.due()) await slicer.yield();
      }
      entries += count;
    }
    if (reader.remaining !== 0) throw new Error(`${reader.remaining} unexpected trailing bytes`);
  } catch (error) {
    throw new StateFormatError(`${name}: key group ${keyGroup} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return entries;
}

/** The next `count` keys of a section, as map keys. */
async function readKeys(reader: ValueReader, count: number, slicer: EventLoopSlicer): Promise<StateMapKey[]> {
  const keys = new Array<StateMapKey>(count);
  for (let i = 0; i < count; i++) {
    keys[i] = keyToMapKey(reader.readValue());
    if (slicer.due()) await slicer.yield();
  }
  return keys;
}

function readInnerMap(reader: ValueReader): Map<StateMapKey, unknown> {
  const size = reader.readVarUint();
  const inner = new Map<StateMapKey, unknown>();
  for (let i = 0; i < size; i++) {
    const userKey = keyToMapKey(reader.readValue());
    inner.set(userKey, reader.readValue());
  }
  return inner;
}

function checkOffsets(source: KeyedStateSource, range: KeyGroupRange, name: string): void {
  const offsets = source.keyGroupOffsets;
  if (offsets.length !== range.size) {
    throw new StateFormatError(`${name}: ${offsets.length} key-group offsets for ${range.size} key groups`);
  }
  let previous = KEYED_STATE_FIXED_HEADER_BYTES;
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset < previous) throw new StateFormatError(`${name}: key-group offsets are not ascending`);
    previous = offset;
  }
  if (previous > source.length) throw new StateFormatError(`${name}: a key-group offset lies beyond the length ${source.length}`);
}

async function readExactly(source: KeyedStateSource, offset: number, length: number, name: string): Promise<Buffer> {
  const bytes = await source.bytes(offset, length);
  if (bytes.length !== length) {
    throw new StateFormatError(`${name}: wanted ${length} bytes at offset ${offset}, got ${bytes.length} (is the file truncated?)`);
  }
  return bytes;
}
