import { ValueReader } from '../serialization/value-reader.js';
import { crc32 } from './crc32.js';
import type { OperatorStateDistributionMode } from './operator-list-state.js';
import { OPERATOR_STATE_HEADER_BYTES, checkOperatorStateHeader, decodeDistributionMode } from './operator-state-format.js';
import type { OperatorStateMetaInfo } from './operator-state-format.js';
import { StateFormatError } from './state-errors.js';
import type { StateByteReader } from './state-output-stream.js';

/**
 * A part of a previous operator-state snapshot to restore: the stream, and per
 * state the offsets of the elements this subtask gets (as assigned by
 * `redistributeOperatorState`).
 */
export interface OperatorStateSource {
  readonly bytes: StateByteReader;
  /** Total length of the stream. */
  readonly length: number;
  readonly states: Readonly<Record<string, OperatorStateMetaInfo>>;
  /** Names the source in errors, for example its file path. */
  readonly description?: string;
}

/** Restored elements of one state. */
export interface RestoredOperatorState {
  readonly mode: OperatorStateDistributionMode;
  readonly elements: unknown[];
}

interface ParsedState {
  readonly mode: OperatorStateDistributionMode;
  /** Element offset → element. */
  readonly elements: Map<number, unknown>;
}

/**
 * Reads the elements a source assigns, per state name, in offset order as listed.
 * The whole stream is read and every block's checksum verified (operator state
 * is small); an offset that is not the start of an element of that state is an error.
 */
export async function readOperatorStateSource(source: OperatorStateSource): Promise<Map<string, RestoredOperatorState>> {
  const name = source.description ?? 'operator-state snapshot';
  const bytes = await source.bytes(0, source.length);
  if (bytes.length !== source.length) {
    throw new StateFormatError(`${name}: wanted ${source.length} bytes, got ${bytes.length} (is the file truncated?)`);
  }
  const parsed = parseAll(bytes, name);
  const out = new Map<string, RestoredOperatorState>();
  for (const [stateName, meta] of Object.entries(source.states)) {
    const state = parsed.get(stateName);
    if (state === undefined) throw new StateFormatError(`${name} holds no operator state '${stateName}'`);
    if (state.mode !== meta.mode) {
      throw new StateFormatError(`${name}: operator state '${stateName}' was written as ${state.mode} but the handle says ${meta.mode}`);
    }
    const elements = meta.offsets.map((offset) => {
      if (!state.elements.has(offset)) throw new StateFormatError(`${name}: no element of operator state '${stateName}' starts at offset ${offset}`);
      return state.elements.get(offset);
    });
    out.set(stateName, { mode: meta.mode, elements });
  }
  return out;
}

function parseAll(bytes: Buffer, name: string): Map<string, ParsedState> {
  checkOperatorStateHeader(bytes, name);
  const states = new Map<string, ParsedState>();
  let position = OPERATOR_STATE_HEADER_BYTES;
  try {
    while (position < bytes.length) {
      const blockStart = position;
      const reader = new ValueReader(bytes, position);
      const stateName = reader.readValue();
      if (typeof stateName !== 'string') throw new Error('state name is not a string');
      const mode = decodeDistributionMode(reader.readUint8(), name);
      const count = reader.readVarUint();
      const elements = new Map<number, unknown>();
      for (let i = 0; i < count; i++) {
        const offset = reader.position;
        reader.resetShapes();
        elements.set(offset, reader.readValue());
      }
      const crcAt = reader.position;
      if (reader.readUint32() !== crc32(bytes.subarray(blockStart, crcAt))) {
        throw new Error(`operator state '${stateName}' is corrupt (checksum mismatch)`);
      }
      states.set(stateName, { mode, elements });
      position = reader.position;
    }
  } catch (error) {
    if (error instanceof StateFormatError) throw error;
    throw new StateFormatError(`${name} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return states;
}
