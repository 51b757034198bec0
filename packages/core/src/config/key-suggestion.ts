/** "Did you mean ...?" for misspelt configuration keys. */
import { closest, distance } from 'fastest-levenshtein';

/**
 * Returns the candidate closest to `key` by edit distance, or undefined when even
 * the closest one is too different to be a plausible typo (more than a quarter of
 * the key's length, and at least 2 edits, apart).
 */
export function suggestKey(key: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(key, candidates);
  const maxEdits = Math.max(2, Math.floor(key.length / 4));
  return distance(key, best) <= maxEdits ? best : undefined;
}
