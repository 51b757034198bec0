import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, crc32Combine, crc32Js } from './crc32.js';

describe('crc32', () => {
  it('gives the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('continues across pieces, and the JS fallback agrees with zlib', () => {
    const data = randomBytes(10_000);
    const whole = crc32(data);
    assert.equal(crc32(data.subarray(3000), crc32(data.subarray(0, 3000))), whole);
    assert.equal(crc32Js(data), whole);
    assert.equal(crc32Js(data.subarray(3000), crc32Js(data.subarray(0, 3000))), whole);
  });

  it('combines the CRCs of two pieces into the CRC of both, for any split', () => {
    const data = randomBytes(70_001);
    const whole = crc32(data);
    for (const split of [0, 1, 2, 3, 4, 7, 8, 255, 256, 4096, 65_537, 70_000, 70_001]) {
      const a = data.subarray(0, split);
      const b = data.subarray(split);
      assert.equal(crc32Combine(crc32(a), crc32(b), b.length), whole, `split at ${split}`);
    }
    // Many pieces folded left, as a snapshot writer does block by block.
    let folded = 0;
    for (let at = 0; at < data.length; at += 9_999) {
      const piece = data.subarray(at, at + 9_999);
      folded = crc32Combine(folded, crc32(piece), piece.length);
    }
    assert.equal(folded, whole);
  });

  it('combines with a piece longer than 4 GiB (the length is not truncated to 32 bits)', () => {
    // crc(0^n) for n = 2^32 is built by doubling; appending it at once must equal appending two halves of 2^31
    // (a length truncated to 32 bits would append nothing in the first case).
    const zeros = Buffer.alloc(1 << 20);
    let zeroCrc = crc32(zeros); // crc of 1 MiB of zeros
    let zeroLength = zeros.length;
    while (zeroLength < 2 ** 32) {
      zeroCrc = crc32Combine(zeroCrc, zeroCrc, zeroLength);
      zeroLength *= 2;
    }
    const a = Buffer.from('head');
    const viaZeros = crc32Combine(crc32(a), zeroCrc, zeroLength);
    // Same result when the zeros are appended in two halves.
    let half = crc32(zeros);
    for (let length = zeros.length; length < zeroLength / 2; length *= 2) half = crc32Combine(half, half, length);
    assert.equal(crc32Combine(crc32Combine(crc32(a), half, zeroLength / 2), half, zeroLength / 2), viaZeros);
  });
});
