import { hashKey } from './key-hash.js';
import { KeyGroupRange } from './key-group-range.js';
import { flinkMurmurHash } from './murmur-hash.js';

/**
 * Key → key group → subtask, exactly as Flink's `KeyGroupRangeAssignment`
 * (only the key's hash differs: see `hashKey`).
 */

/** Lower bound of the default max parallelism. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7;
/** Upper bound (inclusive) of any parallelism and max parallelism. */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

/** Rounds up to the next power of two (Flink's `MathUtils.roundUpToPowerOfTwo`). */
export function roundUpToPowerOfTwo(x: number): number {
  x = x - 1;
  x |= x >> 1;
  x |= x >> 2;
  x |= x >> 4;
  x |= x >> 8;
  x |= x >> 16;
  return x + 1;
}

/** Throws unless `0 < parallelism <= 32768` (Flink's message). */
export function checkParallelismPreconditions(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`Operator parallelism not within bounds: ${parallelism}`);
  }
}

/** `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`, `p/2` rounded down. */
export function computeDefaultMaxParallelism(operatorParallelism: number): number {
  checkParallelismPreconditions(operatorParallelism);
  return Math.min(
    Math.max(roundUpToPowerOfTwo(operatorParallelism + (operatorParallelism >> 1)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

/** The key group of a key: `murmurHash(hashKey(key)) % maxParallelism`. Runs once per record. */
export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  return flinkMurmurHash(hashKey(key)) % maxParallelism;
}

/** The key group of a key hash: `murmurHash(keyHash) % maxParallelism`. */
export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return flinkMurmurHash(keyHash) % maxParallelism;
}

/** The subtask index a key is routed to. */
export function assignKeyToParallelOperator(key: unknown, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

/**
 * The key groups of subtask `operatorIndex` out of `parallelism`:
 * `[ceil(i * maxP / p), floor(((i + 1) * maxP - 1) / p)]`.
 */
export function computeKeyGroupRangeForOperatorIndex(
  maxParallelism: number,
  parallelism: number,
  operatorIndex: number,
): KeyGroupRange {
  checkParallelismPreconditions(parallelism);
  checkParallelismPreconditions(maxParallelism);
  if (maxParallelism < parallelism) throw new RangeError('Maximum parallelism must not be smaller than parallelism.');
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(`Operator index ${operatorIndex} is not within 0..${parallelism - 1}`);
  }
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return new KeyGroupRange(start, end);
}

/** The subtask that holds `keyGroup`: `floor(keyGroup * parallelism / maxParallelism)`. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}
