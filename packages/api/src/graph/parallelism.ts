/** Parallelism rules shared by the environment, the operators and the JobGraph generator. */

/** Flink's lower bound for a derived max parallelism. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;
/** The largest max parallelism (number of key groups) there can be: 2^15. */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/** @throws Error unless `parallelism` is a positive integer. */
export function checkParallelism(parallelism: number): number {
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new Error(`The parallelism must be a positive integer, got ${parallelism}.`);
  }
  return parallelism;
}

/** @throws Error unless `maxParallelism` is an integer in 1..32768. */
export function checkMaxParallelism(maxParallelism: number): number {
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`The max parallelism must be an integer between 1 and ${UPPER_BOUND_MAX_PARALLELISM}, got ${maxParallelism}.`);
  }
  return maxParallelism;
}

/**
 * Flink's default max parallelism for an operator of the given parallelism
 * (`KeyGroupRangeAssignment.computeDefaultMaxParallelism`):
 * `min(max(roundUpToPowerOfTwo(p + p / 2), 128), 32768)`, with integer division.
 */
export function defaultMaxParallelism(parallelism: number): number {
  const wanted = roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2));
  return Math.min(Math.max(wanted, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

/** The smallest power of two ≥ n (n ≥ 1). */
export function roundUpToPowerOfTwo(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}
