/**
 * MurmurHash3 (x86, 32-bit) building blocks, on 32-bit words, and Flink's
 * `MathUtils.murmurHash(int)` that scatters a key hash before the key-group modulo.
 * All results are int32 and identical on every platform and in every process.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Scrambles one 32-bit block (murmur3's k1 step); also used alone for a tail block. */
export function murmurScramble(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

/** Mixes one 32-bit block into the running hash `h`. */
export function murmurMix(h: number, k: number): number {
  h ^= murmurScramble(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Finishes a murmur3 hash over `byteLength` input bytes (the fmix32 avalanche). */
export function murmurFinish(h: number, byteLength: number): number {
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Flink's `MathUtils.murmurHash(int code)`: murmur3 of one int with seed 0, made
 * non-negative (`Integer.MIN_VALUE` maps to 0). `KeyGroupRangeAssignment` takes
 * this modulo the max parallelism.
 */
export function flinkMurmurHash(code: number): number {
  const h = murmurFinish(murmurMix(0, code), 4);
  if (h >= 0) return h;
  return h !== -2147483648 ? -h : 0;
}
