/**
 * The baseline every benchmark reports against (DESIGN.md 13): a plain Node loop
 * that counts words in a Map with 100 K distinct keys. Ratios to it stay
 * meaningful across machines where absolute numbers do not.
 */

/** Words per second of the plain counting loop, median of `rounds` rounds. */
export function measureBaselineWordsPerSecond(rounds = 5, wordsPerRound = 5_000_000, distinctKeys = 100_000): number {
  const words = Array.from({ length: distinctKeys }, (_, i) => `w${i}`);
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const counts = new Map<string, number>();
    const start = process.hrtime.bigint();
    // A multiplicative step visits the keys in a scattered order, as real input would.
    for (let i = 0, k = 0; i < wordsPerRound; i++, k = (k + 7919) % distinctKeys) {
      const w = words[k]!;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (counts.size !== distinctKeys) throw new Error('baseline loop miscounted');
    results.push(wordsPerRound / seconds);
  }
  return median(results);
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
