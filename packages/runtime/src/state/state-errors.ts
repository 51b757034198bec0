import { TsflinkError } from '@tsflink/core';

/** Errors of the state backends, one class per condition. */

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'no prototype'})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

/** Thrown when a key (or a MapState key) is not a string, number, boolean or array of them. */
export class InvalidKeyError extends TsflinkError {
  constructor(key: unknown, detail?: string) {
    super(
      `Invalid key ${describe(key)}${detail === undefined ? '' : ` (${detail})`}: keys must be strings, numbers, ` +
      'booleans or arrays of them, so that they hash the same in every process',
    );
  }
}

/**
 * Thrown when a record's key belongs to a key group this backend does not hold:
 * the record was routed to the wrong subtask (a partitioning bug, never user error).
 */
export class KeyGroupOutOfRangeError extends TsflinkError {
  constructor(readonly keyGroup: number, readonly range: { start: number; end: number }, key: unknown) {
    super(
      `Key ${describe(key)} belongs to key group ${keyGroup}, which is not in this backend's key-group range ` +
      `[${range.start}, ${range.end}]: the record was routed to the wrong subtask`,
    );
  }
}

/** Thrown when keyed state is used while no key is set (outside a keyed context). */
export class NoCurrentKeyError extends TsflinkError {
  constructor() {
    super('No key set. This method should not be called outside of a keyed context.');
  }
}

/** Thrown when a state name is requested as one kind (value, list, ...) but already exists as another. */
export class StateKindMismatchError extends TsflinkError {
  constructor(readonly stateName: string, readonly existingKind: string, readonly requestedKind: string) {
    super(`State '${stateName}' is ${article(existingKind)} ${existingKind} state and cannot be used as ${article(requestedKind)} ${requestedKind} state`);
  }
}

/** Thrown when snapshot bytes are corrupt, truncated, or of an unknown format or version. */
export class StateFormatError extends TsflinkError {}

/** Thrown when restored state does not fit this backend (for example another max parallelism). */
export class IncompatibleStateError extends TsflinkError {}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
