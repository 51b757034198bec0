import type { Key } from '@tsflink/api';
import { InvalidKeyError } from './state-errors.js';
import { murmurFinish, murmurMix, murmurScramble } from './murmur-hash.js';

/**
 * Seeds acting as type tags, so that for example `1`, `"1"` and `true` hash
 * differently. (They are the first words of SHA-256's initial hash value, chosen
 * only to be distinct and fixed.) Changing any of them moves every key to another
 * key group and breaks every stored snapshot.
 */
const SEED_STRING = 0x6a09e667;
const SEED_INT = 0xbb67ae85 | 0;
const SEED_FLOAT = 0x3c6ef372;
const SEED_BOOLEAN = 0xa54ff53a | 0;
const SEED_ARRAY = 0x510e527f;

/** Scratch space to read a float64's bits, little-endian on every platform. */
const floatBits = new DataView(new ArrayBuffer(8));

/**
 * The stable 32-bit hash of a key, identical in every process and run (never by
 * object identity). Defined as murmur3-32 over a canonical encoding:
 *
 * - string: seed SEED_STRING over its UTF-16LE code units (no transcoding, no allocation);
 * - number that is an int32 (including -0, which hashes as 0): seed SEED_INT over its int32 LE bytes;
 * - any other number: seed SEED_FLOAT over its float64 LE bytes (every NaN as the canonical NaN);
 * - boolean: seed SEED_BOOLEAN over the int32 0 or 1;
 * - array: seed SEED_ARRAY over the int32 hashes of its elements, in order.
 *
 * Throws {@link InvalidKeyError} for any other value.
 */
export function hashKey(key: unknown): number {
  if (typeof key === 'string') return hashString(key);
  if (typeof key === 'number') return hashNumber(key);
  if (typeof key === 'boolean') return murmurFinish(murmurMix(SEED_BOOLEAN, key ? 1 : 0), 4);
  if (Array.isArray(key)) return hashArray(key);
  throw new InvalidKeyError(key);
}

/** {@link hashKey} of a string: murmur3-32 over its UTF-16LE code units. */
export function hashString(s: string): number {
  const n = s.length;
  let h = SEED_STRING;
  let i = 0;
  for (; i + 1 < n; i += 2) h = murmurMix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h ^= murmurScramble(s.charCodeAt(i));
  return murmurFinish(h, n * 2);
}

/** {@link hashKey} of a number: int32 values (and -0) by their int32 bits, others by their float64 bits. */
export function hashNumber(v: number): number {
  if ((v | 0) === v) return murmurFinish(murmurMix(SEED_INT, v), 4);
  let lo: number;
  let hi: number;
  if (v !== v) {
    lo = 0;
    hi = 0x7ff80000;
  } else {
    floatBits.setFloat64(0, v, true);
    lo = floatBits.getInt32(0, true);
    hi = floatBits.getInt32(4, true);
  }
  return murmurFinish(murmurMix(murmurMix(SEED_FLOAT, lo), hi), 8);
}

function hashArray(key: readonly unknown[]): number {
  let h = SEED_ARRAY;
  for (let i = 0; i < key.length; i++) h = murmurMix(h, hashKey(key[i]));
  return murmurFinish(h, key.length * 4);
}

/** First character of every map key that is not the key itself (arrays, strings starting with it). */
const MARK = '\u0000';
const MARK_CODE = 0;
/** Char code that starts every map key that does not stand for itself: any other string map key is the key. */
export const MAP_KEY_MARK_CODE = MARK_CODE;

/**
 * A canonical JavaScript `Map` key for a stream key: strings, numbers and booleans
 * stand for themselves (-0 becomes 0); arrays become a tagged string, so arrays with
 * equal contents address the same state. The mapping is one-to-one: strings that
 * start with U+0000 are tagged too, so no string can collide with an array, and
 * {@link mapKeyToKey} gives the key back.
 *
 * Throws {@link InvalidKeyError} for values that are not stream keys.
 */
export function keyToMapKey(key: unknown): string | number | boolean {
  if (typeof key === 'string') return key.charCodeAt(0) === MARK_CODE ? `${MARK}s${key}` : key;
  if (typeof key === 'number') return key === 0 ? 0 : key;
  if (typeof key === 'boolean') return key;
  if (Array.isArray(key)) return `${MARK}a${encodeArray(key)}`;
  throw new InvalidKeyError(key);
}

/** The stream key a {@link keyToMapKey} result stands for. */
export function mapKeyToKey(mapKey: string | number | boolean): Key {
  if (typeof mapKey !== 'string' || mapKey.charCodeAt(0) !== MARK_CODE) return mapKey;
  const kind = mapKey[1];
  if (kind === 's') return mapKey.slice(2);
  if (kind === 'a') {
    const parser = new ArrayKeyParser(mapKey, 2);
    const key = parser.parseArray();
    if (parser.position !== mapKey.length) throw new InvalidKeyError(mapKey, 'malformed array map key');
    return key;
  }
  throw new InvalidKeyError(mapKey, 'malformed map key');
}

/**
 * Canonical text of an array key: `[` elements `]`, each element `s<length>:<chars>`,
 * `n<number>;` (as `String(n)`, so -0 is `0`), `t`, `f`, or a nested array.
 */
function encodeArray(key: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < key.length; i++) {
    const e = key[i];
    if (typeof e === 'string') out += `s${e.length}:${e}`;
    else if (typeof e === 'number') out += `n${String(e)};`;
    else if (typeof e === 'boolean') out += e ? 't' : 'f';
    else if (Array.isArray(e)) out += encodeArray(e);
    else throw new InvalidKeyError(e, 'inside an array key');
  }
  return out + ']';
}

/** Parses the canonical text of {@link encodeArray}. */
class ArrayKeyParser {
  constructor(private readonly text: string, public position: number) {}

  parseArray(): Key[] {
    this.expect('[');
    const out: Key[] = [];
    for (;;) {
      const c = this.text[this.position];
      if (c === ']') {
        this.position++;
        return out;
      }
      if (c === 's') {
        const colon = this.text.indexOf(':', this.position);
        const length = Number(this.text.slice(this.position + 1, colon));
        if (colon < 0 || !Number.isInteger(length)) this.fail();
        out.push(this.text.slice(colon + 1, colon + 1 + length));
        this.position = colon + 1 + length;
      } else if (c === 'n') {
        const semicolon = this.text.indexOf(';', this.position);
        if (semicolon < 0) this.fail();
        out.push(Number(this.text.slice(this.position + 1, semicolon)));
        this.position = semicolon + 1;
      } else if (c === 't' || c === 'f') {
        out.push(c === 't');
        this.position++;
      } else if (c === '[') {
        out.push(this.parseArray());
      } else {
        this.fail();
      }
    }
  }

  private expect(c: string): void {
    if (this.text[this.position] !== c) this.fail();
    this.position++;
  }

  private fail(): never {
    throw new InvalidKeyError(this.text, 'malformed array map key');
  }
}
