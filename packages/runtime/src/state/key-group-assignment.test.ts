import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assignKeyToParallelOperator, assignToKeyGroup, computeDefaultMaxParallelism, computeKeyGroupForKeyHash,
  computeKeyGroupRangeForOperatorIndex, computeOperatorIndexForKeyGroup, roundUpToPowerOfTwo,
} from './key-group-assignment.js';
import { hashKey } from './key-hash.js';
import { flinkMurmurHash } from './murmur-hash.js';

describe('key-group assignment (Flink KeyGroupRangeAssignment)', () => {
  it('rounds up to powers of two like MathUtils.roundUpToPowerOfTwo', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 127, 128, 129, 1000].map(roundUpToPowerOfTwo), [1, 2, 4, 4, 8, 128, 128, 256, 1024]);
  });

  it('computes the default max parallelism as min(max(roundUp(p + p/2), 128), 32768)', () => {
    const cases: [number, number][] = [[1, 128], [2, 128], [85, 128], [86, 256], [100, 256], [170, 256], [171, 256], [172, 512], [1000, 2048], [21845, 32768], [32768, 32768]];
    for (const [p, expected] of cases) assert.equal(computeDefaultMaxParallelism(p), expected, `p = ${p}`);
    for (const bad of [0, -1, 32769, 1.5]) assert.throws(() => computeDefaultMaxParallelism(bad), /Operator parallelism not within bounds/);
  });

  it('matches known Flink ranges', () => {
    const ranges = [0, 1, 2].map((i) => computeKeyGroupRangeForOperatorIndex(128, 3, i));
    assert.deepEqual(ranges.map((r) => [r.start, r.end]), [[0, 42], [43, 85], [86, 127]]);
    const halves = [0, 1].map((i) => computeKeyGroupRangeForOperatorIndex(128, 2, i));
    assert.deepEqual(halves.map((r) => [r.start, r.end]), [[0, 63], [64, 127]]);
    assert.equal(computeOperatorIndexForKeyGroup(128, 3, 42), 0);
    assert.equal(computeOperatorIndexForKeyGroup(128, 3, 43), 1);
    assert.equal(computeOperatorIndexForKeyGroup(128, 3, 127), 2);
  });

  it('gives every key group to exactly one subtask, agreeing with computeOperatorIndexForKeyGroup', () => {
    for (const maxP of [1, 7, 128, 129, 1000, 32768]) {
      for (const p of [1, 2, 3, 5, 7, 16, 100, 127, 128, 1000]) {
        if (p > maxP) continue;
        const owner = new Int32Array(maxP).fill(-1);
        let previousEnd = -1;
        for (let i = 0; i < p; i++) {
          const range = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
          assert.equal(range.start, previousEnd + 1, `ranges are contiguous (maxP ${maxP}, p ${p}, subtask ${i})`);
          previousEnd = range.end;
          for (const kg of range) {
            assert.equal(owner[kg], -1, `key group ${kg} assigned twice`);
            owner[kg] = i;
            assert.equal(computeOperatorIndexForKeyGroup(maxP, p, kg), i, `maxP ${maxP}, p ${p}, key group ${kg}`);
          }
        }
        assert.equal(previousEnd, maxP - 1, `all ${maxP} key groups covered for p ${p}`);
      }
    }
  });

  it('checks its arguments', () => {
    assert.throws(() => computeKeyGroupRangeForOperatorIndex(2, 3, 0), /must not be smaller than parallelism/);
    assert.throws(() => computeKeyGroupRangeForOperatorIndex(128, 3, 3), /Operator index 3/);
  });

  it('scatters key hashes with MathUtils.murmurHash before the modulo', () => {
    // Values of Flink's MathUtils.murmurHash(int), cross-checked with a byte-wise murmur3 reference.
    assert.equal(flinkMurmurHash(0), 593689054);
    assert.equal(flinkMurmurHash(1), 68075478);
    assert.equal(flinkMurmurHash(2), 1085422463);
    assert.equal(flinkMurmurHash(-1), 1982413648);
    for (const key of ['a', 7, [1, 'x']]) {
      assert.equal(assignToKeyGroup(key, 128), computeKeyGroupForKeyHash(hashKey(key), 128));
      const kg = assignToKeyGroup(key, 128);
      assert.equal(assignKeyToParallelOperator(key, 128, 3), computeOperatorIndexForKeyGroup(128, 3, kg));
    }
  });

  it('spreads keys evenly over key groups', () => {
    const counts = new Array<number>(128).fill(0);
    for (let i = 0; i < 128_000; i++) counts[assignToKeyGroup(`user-${i}`, 128)]!++;
    for (let i = 0; i < 10_000; i++) counts[assignToKeyGroup(i, 128)]!++;
    assert.ok(Math.min(...counts) > 800 && Math.max(...counts) < 1300, `counts between ${Math.min(...counts)} and ${Math.max(...counts)}`);
  });
});
