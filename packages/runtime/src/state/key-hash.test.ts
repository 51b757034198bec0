import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assignToKeyGroup } from './key-group-assignment.js';
import { hashKey, keyToMapKey, mapKeyToKey } from './key-hash.js';
import { InvalidKeyError } from './state-errors.js';

/** Byte-wise murmur3-32 reference, written independently of the word-wise implementation. */
function murmur3Reference(bytes: Uint8Array, seed: number): number {
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    k = Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length & 3;
  for (let j = tail - 1; j >= 0; j--) k = (k << 8) | bytes[4 * blocks + j]!;
  if (tail > 0) h ^= Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A small deterministic PRNG (mulberry32) so the property test is reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomKey(next: () => number, depth = 0): unknown {
  const kind = Math.floor(next() * (depth < 2 ? 6 : 5));
  switch (kind) {
    case 0: {
      const length = Math.floor(next() * 20);
      let s = '';
      for (let i = 0; i < length; i++) {
        const r = next();
        s += r < 0.6 ? String.fromCharCode(32 + Math.floor(next() * 95))
          : r < 0.9 ? String.fromCharCode(0xa0 + Math.floor(next() * 0xd000))
            : String.fromCodePoint(0x10000 + Math.floor(next() * 0x10000));
      }
      return s;
    }
    case 1: return Math.floor(next() * 2 ** 32) - 2 ** 31;
    case 2: return (next() - 0.5) * 1e12;
    case 3: return Math.floor(next() * 1000);
    case 4: return next() < 0.5;
    default: return Array.from({ length: Math.floor(next() * 4) }, () => randomKey(next, depth + 1));
  }
}

const MODULE_URL = pathToFileURL(fileURLToPath(new URL('./key-group-assignment.ts', import.meta.url))).href;
const HASH_MODULE_URL = pathToFileURL(fileURLToPath(new URL('./key-hash.ts', import.meta.url))).href;

/** Computes [hash, keyGroup(128), keyGroup(32768)] for each key in a fresh Node process. */
function computeInChildProcess(keys: unknown[]): Promise<number[][]> {
  const script = `
    import { assignToKeyGroup } from ${JSON.stringify(MODULE_URL)};
    import { hashKey } from ${JSON.stringify(HASH_MODULE_URL)};
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => { input += d; });
    process.stdin.on('end', () => {
      const keys = JSON.parse(input);
      process.stdout.write(JSON.stringify(keys.map((k) => [hashKey(k), assignToKeyGroup(k, 128), assignToKeyGroup(k, 32768)])));
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child process failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as number[][]);
      },
    );
    child.stdin!.end(JSON.stringify(keys));
  });
}

describe('key hashing', () => {
  it('gives the same key groups as always (changing them breaks every snapshot)', () => {
    const expected: [unknown, number, number, number][] = [
      ['', 167010153, 42, 23466],
      ['a', 344279649, 71, 20295],
      ['hello', 23141190, 14, 23182],
      ['héllo', 1373646644, 81, 15569],
      ['😀', 743114331, 52, 29876],
      [0, 80635493, 119, 22519],
      [1, 1962848528, 22, 32406],
      [-1, 448350811, 118, 26998],
      [42, -1164185886, 32, 20640],
      [2147483647, 1001389783, 117, 26997],
      [-2147483648, 1977158299, 120, 31096],
      [2147483648, 591306320, 23, 7447],
      [1.5, -2114631647, 90, 21210],
      [-0.25, -1166978740, 87, 20311],
      [NaN, -2143999323, 83, 467],
      [Infinity, 806015417, 74, 3658],
      [true, -206603997, 115, 10867],
      [false, 773769829, 41, 2089],
      [[1, 'a'], -1647007802, 122, 8954],
      [['a', 1], -965221341, 95, 15327],
      [[], 680643730, 73, 30409],
      [[[1], [2]], 1435629738, 5, 7557],
    ];
    for (const [key, hash, kg128, kg32768] of expected) {
      assert.equal(hashKey(key), hash, `hash of ${JSON.stringify(key)}`);
      assert.equal(assignToKeyGroup(key, 128), kg128, `key group of ${JSON.stringify(key)} (128)`);
      assert.equal(assignToKeyGroup(key, 32768), kg32768, `key group of ${JSON.stringify(key)} (32768)`);
    }
  });

  it('is murmur3-32 of the canonical bytes (checked against a byte-wise reference)', () => {
    const next = prng(7);
    for (let i = 0; i < 500; i++) {
      const s = randomKey(next);
      if (typeof s === 'string') assert.equal(hashKey(s), murmur3Reference(Buffer.from(s, 'utf16le'), 0x6a09e667));
    }
    const int = Buffer.alloc(4);
    for (const n of [0, 1, -1, 123456, -(2 ** 31)]) {
      int.writeInt32LE(n);
      assert.equal(hashKey(n), murmur3Reference(int, 0xbb67ae85));
    }
    const float = Buffer.alloc(8);
    for (const n of [0.5, -1e300, 2 ** 40, Infinity]) {
      float.writeDoubleLE(n);
      assert.equal(hashKey(n), murmur3Reference(float, 0x3c6ef372));
    }
  });

  it('tells types apart: 1, "1" and true differ', () => {
    assert.notEqual(hashKey(1), hashKey('1'));
    assert.notEqual(hashKey(1), hashKey(true));
    assert.notEqual(hashKey('true'), hashKey(true));
    assert.notEqual(hashKey([1]), hashKey(1));
    assert.notEqual(hashKey(['1']), hashKey([1]));
    assert.notEqual(keyToMapKey(1), keyToMapKey('1'));
  });

  it('treats -0 as 0 and every NaN alike; integers and floats are stable', () => {
    assert.equal(hashKey(-0), hashKey(0));
    assert.equal(keyToMapKey(-0), 0);
    assert.ok(Object.is(keyToMapKey(-0), 0));
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0]!;
    assert.ok(Number.isNaN(otherNaN));
    assert.equal(hashKey(otherNaN), hashKey(NaN));
    assert.equal(hashKey(3.0), hashKey(3));
    assert.equal(hashKey(0.1 + 0.2), hashKey(0.30000000000000004));
  });

  it('hashes arrays by content, never by identity', () => {
    assert.equal(hashKey([1, 'a', [true]]), hashKey([1, 'a', [true]]));
    assert.notEqual(hashKey([1, 2]), hashKey([2, 1]));
    assert.notEqual(hashKey([[1], 2]), hashKey([1, [2]]));
    assert.equal(keyToMapKey([1, 'a', [true]]), keyToMapKey([1, 'a', [true]]));
    const map = new Map([[keyToMapKey(['u', 1]), 'state']]);
    assert.equal(map.get(keyToMapKey(['u', 1])), 'state');
  });

  it('maps keys to canonical map keys and back without collisions', () => {
    const keys = ['', 'plain', '\u0000s', '\u0000a[]', 0, 1.5, NaN, true, [], ['s3:abc', 'x]y', '[', ';'], [1, [2, [3, 'n1;']]], [-0], [NaN, Infinity, -Infinity, 1e21]];
    const seen = new Map<unknown, unknown>();
    for (const key of keys) {
      const mapKey = keyToMapKey(key);
      assert.ok(!seen.has(mapKey), `${JSON.stringify(key)} collides with ${JSON.stringify(seen.get(mapKey))}`);
      seen.set(mapKey, key);
      const back = mapKeyToKey(mapKey);
      if (Array.isArray(key) && key.length === 1 && Object.is(key[0], -0)) assert.deepEqual(back, [0]);
      else assert.deepEqual(back, key);
    }
  });

  it('rejects values that are not keys', () => {
    for (const bad of [null, undefined, {}, new Date(), 1n, Symbol('x'), () => 1, [1, {}], [null]]) {
      assert.throws(() => hashKey(bad), InvalidKeyError);
      assert.throws(() => keyToMapKey(bad), InvalidKeyError);
    }
  });

  it('assigns every key the same group in another process', async () => {
    const next = prng(20240601);
    const keys = Array.from({ length: 3000 }, () => randomKey(next));
    const here = keys.map((k) => [hashKey(k), assignToKeyGroup(k, 128), assignToKeyGroup(k, 32768)]);
    const there = await computeInChildProcess(keys);
    assert.deepEqual(there, here);
  });
});
