import type { OperatorStateDistributionMode } from './operator-list-state.js';
import { StateFormatError } from './state-errors.js';

/**
 * On-disk format of an operator-state snapshot (one stream per operator subtask),
 * version 1. Integers are little-endian; values use the tsflink value encoding.
 *
 * ```
 * header
 *   0  4  magic "TFOS"
 *   4  4  u32 format version (1)
 *   8  4  u32 flags (0, reserved)
 * one block per state, in registration order:
 *   string value  state name
 *   u8            distribution mode (0 = SPLIT_DISTRIBUTE, 1 = UNION)
 *   varuint       number of elements n
 *   n elements    each one value and its own shape scope, so it decodes on its own
 *                 from the offset recorded in the handle
 *   u32           CRC-32 of the block's bytes before it
 * ```
 */

/** The four bytes every operator-state snapshot starts with. */
export const OPERATOR_STATE_MAGIC = 'TFOS';
/** The version this build writes and reads. */
export const OPERATOR_STATE_FORMAT_VERSION = 1;
/** Bytes of the header. */
export const OPERATOR_STATE_HEADER_BYTES = 12;

/** Where one state's elements are in a snapshot stream, and how they are redistributed. */
export interface OperatorStateMetaInfo {
  readonly mode: OperatorStateDistributionMode;
  /** Offset of each element in the stream, in list order. */
  readonly offsets: readonly number[];
}

/** The mode's byte in the format. */
export function encodeDistributionMode(mode: OperatorStateDistributionMode): number {
  return mode === 'UNION' ? 1 : 0;
}

/** The mode of a mode byte. */
export function decodeDistributionMode(code: number, source: string): OperatorStateDistributionMode {
  if (code === 0) return 'SPLIT_DISTRIBUTE';
  if (code === 1) return 'UNION';
  throw new StateFormatError(`${source}: unknown operator-state distribution mode ${code}`);
}

/** Checks the header of an operator-state snapshot. */
export function checkOperatorStateHeader(bytes: Buffer, source: string): void {
  if (bytes.length < OPERATOR_STATE_HEADER_BYTES || bytes.toString('latin1', 0, 4) !== OPERATOR_STATE_MAGIC) {
    throw new StateFormatError(`${source} is not an operator-state snapshot`);
  }
  const version = bytes.readUInt32LE(4);
  if (version !== OPERATOR_STATE_FORMAT_VERSION) {
    throw new StateFormatError(`${source} has operator-state format version ${version}; this build reads version ${OPERATOR_STATE_FORMAT_VERSION}`);
  }
  const flags = bytes.readUInt32LE(8);
  if (flags !== 0) throw new StateFormatError(`${source} uses unsupported operator-state flags 0x${flags.toString(16)}`);
}
