import { crc32 } from '../state/crc32.js';

/**
 * The `_metadata` file of a completed checkpoint or savepoint: written last and
 * atomically by the JobManager, after every task acknowledged; a checkpoint
 * without it does not exist. Layout:
 *
 *   magic "TSFLINK-META" (12 bytes) | u32 format version | u32 CRC-32 of the body | body (UTF-8 JSON)
 *
 * The body names the job, the checkpoint id, its kind and times, and for each
 * operator id its parallelism, max parallelism and the state handles of every
 * subtask. Inside savepoints handle paths are relative to the savepoint
 * directory, so savepoints can be moved and renamed. Small state is inlined.
 */
export const METADATA_MAGIC = 'TSFLINK-META';
export const METADATA_FORMAT_VERSION = 1;

export type CheckpointKind = 'checkpoint' | 'savepoint';

/** Bytes of a state stream: a range of a file, or inline. */
export interface StreamHandle {
  /** File URI (absolute in checkpoints; relative to the directory inside savepoints); absent when inline. */
  path?: string;
  offset: number;
  length: number;
  crc32: number;
  /** The bytes, when small enough to live in the metadata. */
  inline?: Buffer;
}

export interface KeyedStateHandle {
  keyGroupRange: { start: number; end: number };
  keyGroupOffsets: number[];
  data: StreamHandle;
  states: Array<{ name: string; kind: string }>;
  formatVersion: number;
  maxParallelism: number;
}

export interface OperatorListStateHandle {
  data: StreamHandle;
  states: Record<string, { mode: 'SPLIT_DISTRIBUTE' | 'UNION'; offsets: number[] }>;
  formatVersion: number;
}

export interface SubtaskState {
  subtaskIndex: number;
  keyed?: KeyedStateHandle;
  operator?: OperatorListStateHandle;
  stateSize: number;
}

export interface OperatorState {
  operatorId: string;
  /** The uid and name the operator had (for inspection and messages). */
  uid?: string;
  name?: string;
  parallelism: number;
  maxParallelism: number;
  subtasks: SubtaskState[];
}

export interface CheckpointMetadata {
  jobId: string;
  jobName?: string;
  checkpointId: number;
  kind: CheckpointKind;
  triggerTimestamp: number;
  completionTimestamp: number;
  operators: OperatorState[];
}

/** Thrown for a file that is not a metadata file, or a damaged one; the message names the file. */
export class InvalidMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMetadataError';
  }
}

export function encodeMetadata(metadata: CheckpointMetadata): Buffer {
  const body = Buffer.from(JSON.stringify(metadata, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return { base64: Buffer.from((v as { data: number[] }).data).toString('base64') };
    }
    return v;
  }), 'utf8');
  const header = Buffer.alloc(20);
  header.write(METADATA_MAGIC, 0, 'latin1');
  header.writeUInt32BE(METADATA_FORMAT_VERSION, 12);
  header.writeUInt32BE(crc32(body), 16);
  return Buffer.concat([header, body]);
}

/** Parses a metadata file's bytes; `name` is used in errors. */
export function decodeMetadata(bytes: Buffer, name: string): CheckpointMetadata {
  if (bytes.length < 20 || bytes.toString('latin1', 0, 12) !== METADATA_MAGIC) {
    throw new InvalidMetadataError(`The file ${name} is not a tsflink checkpoint or savepoint metadata file.`);
  }
  const version = bytes.readUInt32BE(12);
  if (version > METADATA_FORMAT_VERSION) {
    throw new InvalidMetadataError(`The metadata file ${name} has format version ${version}, newer than this tsflink understands (${METADATA_FORMAT_VERSION}).`);
  }
  const body = bytes.subarray(20);
  if (crc32(body) !== bytes.readUInt32BE(16)) {
    throw new InvalidMetadataError(`The metadata file ${name} is corrupted (checksum mismatch).`);
  }
  try {
    return JSON.parse(body.toString('utf8'), (_k, v: unknown) => {
      if (v && typeof v === 'object' && typeof (v as { base64?: unknown }).base64 === 'string' && Object.keys(v).length === 1) {
        return Buffer.from((v as { base64: string }).base64, 'base64');
      }
      return v;
    }) as CheckpointMetadata;
  } catch {
    throw new InvalidMetadataError(`The metadata file ${name} is corrupted (unreadable body).`);
  }
}
