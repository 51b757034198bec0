/**
 * MurmurHash3 x64 128-bit (seed 0 by default), as Guava's
 * `Hashing.murmur3_128()` that Flink uses for operator ids. The 16 result bytes
 * are h1 then h2, each little-endian (Guava's `HashCode.asBytes()`). Only used
 * at planning time, so BigInt clarity beats speed.
 */
const MASK64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK64;
}

function mul64(a: bigint, b: bigint): bigint {
  return (a * b) & MASK64;
}

function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = mul64(k, 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = mul64(k, 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

function mixK1(k1: bigint): bigint {
  return mul64(rotl64(mul64(k1, C1), 31n), C2);
}

function mixK2(k2: bigint): bigint {
  return mul64(rotl64(mul64(k2, C2), 33n), C1);
}

/** Hashes `data` and returns the 16 hash bytes. */
export function murmur3x64128(data: Uint8Array, seed = 0): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const length = data.byteLength;
  const blocks = Math.floor(length / 16);
  let h1 = BigInt(seed >>> 0);
  let h2 = BigInt(seed >>> 0);

  for (let i = 0; i < blocks; i++) {
    const k1 = view.getBigUint64(i * 16, true);
    const k2 = view.getBigUint64(i * 16 + 8, true);
    h1 ^= mixK1(k1);
    h1 = rotl64(h1, 27n);
    h1 = (h1 + h2) & MASK64;
    h1 = (mul64(h1, 5n) + 0x52dce729n) & MASK64;
    h2 ^= mixK2(k2);
    h2 = rotl64(h2, 31n);
    h2 = (h2 + h1) & MASK64;
    h2 = (mul64(h2, 5n) + 0x38495ab5n) & MASK64;
  }

  const tail = blocks * 16;
  const rest = length - tail;
  let k1 = 0n;
  let k2 = 0n;
  for (let j = Math.min(rest, 16) - 1; j >= 8; j--) k2 ^= BigInt(data[tail + j]!) << BigInt(8 * (j - 8));
  for (let j = Math.min(rest, 8) - 1; j >= 0; j--) k1 ^= BigInt(data[tail + j]!) << BigInt(8 * j);
  if (rest > 8) h2 ^= mixK2(k2);
  if (rest > 0) h1 ^= mixK1(k1);

  const len = BigInt(length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;

  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  outView.setBigUint64(0, h1, true);
  outView.setBigUint64(8, h2, true);
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Bytes of a hex string (even length, validated by the caller). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
