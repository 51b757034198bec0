import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { formatDuration, parseDuration, tryParseDuration } from './duration.js';

describe('parseDuration', () => {
  it('accepts the spellings Flink users write', () => {
    assert.equal(parseDuration('500 ms'), 500);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10 s'), 10_000);
    assert.equal(parseDuration('3min'), 180_000);
    assert.equal(parseDuration('2 m'), 120_000);
    assert.equal(parseDuration('1 h'), 3_600_000);
    assert.equal(parseDuration('2 d'), 172_800_000);
    assert.equal(parseDuration('5 seconds'), 5_000);
    assert.equal(parseDuration('1 MIN'), 60_000);
  });

  it('reads a plain number as milliseconds', () => {
    assert.equal(parseDuration('1500'), 1500);
    assert.equal(parseDuration(' 0 '), 0);
  });

  it('rejects what is not a duration', () => {
    for (const bad of ['', 'ten seconds', '-5 s', '1.5 s', '10 fortnights', 's']) {
      assert.equal(tryParseDuration(bad), undefined, bad);
    }
    assert.throws(() => parseDuration('soon'), InvalidArgumentError);
  });

  it('formats with the largest unit that divides the value', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(600_000), '10 min');
    assert.equal(formatDuration(1_500), '1500 ms');
    assert.equal(formatDuration(4_000), '4 s');
    assert.equal(formatDuration(7_200_000), '2 h');
    assert.equal(formatDuration(86_400_000), '1 d');
    assert.equal(parseDuration(formatDuration(90_000)), 90_000);
  });
});
