import type { IndexRangeSplit } from '@tsflink/api';

/**
 * Cuts the indexes `0 .. count-1` into `parts` contiguous ranges whose sizes
 * differ by at most one (the first `count % parts` ranges hold one more),
 * leaving empty ranges out. Integer arithmetic only, so it is exact for every
 * safe integer count, `Number.MAX_SAFE_INTEGER` included. Split `i` has id `"i"`.
 */
export function splitIndexRange(count: number, parts: number): IndexRangeSplit[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`The element count must be a non-negative safe integer, got ${count}.`);
  if (!Number.isSafeInteger(parts) || parts < 1) throw new RangeError(`The parallelism must be a positive integer, got ${parts}.`);
  const base = Math.floor(count / parts);
  const remainder = count % parts;
  const splits: IndexRangeSplit[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < remainder ? 1 : 0);
    if (size > 0) splits.push({ splitId: String(i), nextIndex: start, endIndex: start + size });
    start += size;
  }
  return splits;
}
