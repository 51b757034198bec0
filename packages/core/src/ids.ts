/**
 * Identifiers: job ids (Flink's 32-hex JobID), execution attempt ids and
 * TaskManager resource ids.
 */
import { randomBytes } from 'node:crypto';
import { InvalidJobIdError } from './errors.js';

const JOB_ID_PATTERN = /^[0-9a-fA-F]{32}$/;

/** Returns `length` random lowercase hexadecimal characters. */
export function randomHex(length: number): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`randomHex: length must be a non-negative integer, got ${length}`);
  }
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

/** A new job id: 32 lowercase hexadecimal characters, as Flink's JobID prints. */
export function generateJobId(): string {
  return randomHex(32);
}

/**
 * Parses a job id typed by a user or received from a peer, returning its
 * canonical lowercase form.
 *
 * @throws InvalidJobIdError when `input` is not 32 hexadecimal characters.
 */
export function parseJobId(input: string): string {
  if (!JOB_ID_PATTERN.test(input)) throw new InvalidJobIdError(input);
  return input.toLowerCase();
}

/** True when `input` is a well-formed job id. */
export function isJobId(input: string): boolean {
  return JOB_ID_PATTERN.test(input);
}

/** A new id for one execution attempt of one subtask: 32 lowercase hexadecimal characters. */
export function generateAttemptId(): string {
  return randomHex(32);
}

/**
 * A new TaskManager resource id in Flink's form `<host>:<port>-<6 hex>`,
 * e.g. `localhost:34567-3fa2b1`. The random suffix keeps ids unique when a
 * TaskManager restarts on the same address.
 */
export function generateResourceId(host: string, port: number): string {
  return `${host}:${port}-${randomHex(6)}`;
}
