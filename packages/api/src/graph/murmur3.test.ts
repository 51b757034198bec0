import { test } from 'node:test';
import assert from 'node:assert/strict';
import { murmur3x64128, toHex } from './murmur3.js';

/** Guava's Murmur3Hash128Test vectors: (h1, h2) as Java longs. */
function expected(h1: bigint, h2: bigint): string {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, h1, true);
  v.setBigUint64(8, h2, true);
  return toHex(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

test('matches the reference MurmurHash3_x64_128 vectors', () => {
  assert.equal(toHex(murmur3x64128(utf8(''))), '00000000000000000000000000000000');
  assert.equal(toHex(murmur3x64128(utf8('hell'))), expected(0x629942693e10f867n, 0x92db0b82baeb5347n));
  assert.equal(toHex(murmur3x64128(utf8('hello'), 1)), expected(0xa78ddff5adae8d10n, 0x128900ef20900135n));
  assert.equal(toHex(murmur3x64128(utf8('hello wo'), 4)), expected(0x79f6305a386c572cn, 0x46305aed3483b94en));
  assert.equal(toHex(murmur3x64128(utf8('hello'))), expected(0xcbd8a7b341bd9b02n, 0x5b1e906a48ae1d19n));
  assert.equal(toHex(murmur3x64128(utf8('1234567890123456'))), expected(0x4fbe5dc5c0e32cf8n, 0xc0c8e96b60c322c1n));
  assert.equal(toHex(murmur3x64128(utf8('12345678901234567'))), expected(0x748617968026b77en, 0x291e6386473f7103n));
  assert.equal(toHex(murmur3x64128(utf8('The quick brown fox jumps over the lazy dog'))), '6c1b07bc7bbc4be347939ac4a93c437a');
});
