import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { parseMemorySize, tryParseMemorySize } from './memory-size.js';

describe('parseMemorySize', () => {
  it('reads binary units', () => {
    assert.equal(parseMemorySize('1024'), 1024);
    assert.equal(parseMemorySize('64 kb'), 64 * 1024);
    assert.equal(parseMemorySize('512m'), 512 * 1024 ** 2);
    assert.equal(parseMemorySize('1g'), 1024 ** 3);
    assert.equal(parseMemorySize('1600 MB'), 1600 * 1024 ** 2);
  });

  it('rejects what is not a size', () => {
    assert.equal(tryParseMemorySize('lots'), undefined);
    assert.equal(tryParseMemorySize('1.5g'), undefined);
    assert.throws(() => parseMemorySize('12 parsecs'), InvalidArgumentError);
  });
});
