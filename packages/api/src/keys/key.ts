/**
 * Keys of keyed streams. A key travels between processes and decides which
 * subtask owns a record and its state, so it must hash the same everywhere:
 * only strings, numbers, booleans and (nested) arrays of them qualify. Objects
 * would hash by identity or by property order, which differs between processes.
 */

/** A valid key: a string, number, boolean, or an array (tuple) of keys. */
export type Key = string | number | boolean | readonly Key[];

/**
 * Checks that `key` is a {@link Key} and returns it typed as such.
 * @throws Error naming the offending type (object, undefined, null, function, symbol, bigint).
 */
export function validateKey(key: unknown): Key {
  const problem = findInvalidPart(key, 'key');
  if (problem !== undefined) {
    throw new Error(
      `Invalid key: ${problem}. Keys must be strings, numbers, booleans or arrays of them, ` +
      'so that they hash the same in every process; return for example a string or a [a, b] tuple from the key selector.',
    );
  }
  return key as Key;
}

function findInvalidPart(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return undefined;
    case 'object':
      if (value === null) return `${path} is null`;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = findInvalidPart(value[i], `${path}[${i}]`);
          if (problem !== undefined) return problem;
        }
        return undefined;
      }
      return `${path} is an object (${describeObject(value)})`;
    case 'undefined':
      return `${path} is undefined`;
    case 'function':
      return `${path} is a function`;
    case 'symbol':
      return `${path} is a symbol`;
    case 'bigint':
      return `${path} is a bigint`;
    default:
      return `${path} has unsupported type ${typeof value}`;
  }
}

function describeObject(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name.length > 0 ? name : 'Object';
}
