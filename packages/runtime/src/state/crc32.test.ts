import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, crc32Js } from './crc32.js';

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
});
