import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionerKind } from '@tsflink/api';
import { createChannelSelector, type PartitionerContext } from './partitioner.js';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from '../state/key-group-assignment.js';

function selector(kind: PartitionerKind, numberOfChannels: number, producerIndex = 0, producerParallelism = 1, extra: Partial<PartitionerContext> = {}) {
  return createChannelSelector({ kind, numberOfChannels, producerIndex, producerParallelism, consumerMaxParallelism: 128, ...extra });
}

function take(s: { select(v: unknown): number }, n: number, value: unknown = 'x'): number[] {
  return Array.from({ length: n }, () => s.select(value));
}

describe('createChannelSelector', () => {
  it('forward sends everything to the consumer with the producer index', () => {
    for (let p = 0; p < 4; p++) {
      const s = selector('forward', 4, p, 4);
      assert.equal(s.isBroadcast, false);
      assert.deepEqual(take(s, 5), [p, p, p, p, p]);
    }
  });

  it('rebalance goes round-robin over all channels, starting at the producer index', () => {
    assert.deepEqual(take(selector('rebalance', 3, 0, 2), 7), [0, 1, 2, 0, 1, 2, 0]);
    assert.deepEqual(take(selector('rebalance', 3, 1, 2), 7), [1, 2, 0, 1, 2, 0, 1]);
    assert.deepEqual(take(selector('rebalance', 3, 5, 6), 4), [2, 0, 1, 2]);
    assert.deepEqual(take(selector('rebalance', 1, 0, 1), 3), [0, 0, 0]);
  });

  describe('rescale', () => {
    const cases: Array<[number, number]> = [];
    for (let p = 1; p <= 7; p++) for (let n = 1; n <= 9; n++) cases.push([p, n]);

    it('each producer round-robins over its own subset; together they cover every consumer', () => {
      for (const [p, n] of cases) {
        const covered = new Set<number>();
        const subsets: number[][] = [];
        for (let i = 0; i < p; i++) {
          const s = selector('rescale', n, i, p);
          const seen = take(s, 3 * n);
          const subset = [...new Set(seen)].sort((a, b) => a - b);
          subsets.push(subset);
          for (const c of subset) {
            assert.ok(c >= 0 && c < n, `p=${p} n=${n}: channel ${c} out of range`);
            covered.add(c);
          }
          // Round-robin: the pattern repeats with the subset's size.
          for (let k = subset.length; k < seen.length; k++) assert.equal(seen[k], seen[k - subset.length]);
          // A contiguous subset.
          assert.equal(subset[subset.length - 1]! - subset[0]! + 1, subset.length, `p=${p} n=${n} producer ${i}: ${subset}`);
        }
        assert.equal(covered.size, n, `p=${p} n=${n}: every consumer gets input (${JSON.stringify(subsets)})`);
        if (n >= p) {
          // Disjoint subsets of nearly equal size.
          assert.equal(subsets.reduce((a, s) => a + s.length, 0), n, `p=${p} n=${n}: disjoint`);
          const sizes = subsets.map((s) => s.length);
          assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `p=${p} n=${n}: sizes ${sizes}`);
        } else {
          // Fewer consumers: each producer feeds exactly one consumer, and producers of one consumer are contiguous.
          for (const s of subsets) assert.equal(s.length, 1);
          const targets = subsets.map((s) => s[0]!);
          for (let i = 1; i < p; i++) assert.ok(targets[i]! >= targets[i - 1]!);
        }
      }
    });

    it('matches the expected layout for 2 → 4 and 4 → 2', () => {
      assert.deepEqual(take(selector('rescale', 4, 0, 2), 4), [0, 1, 0, 1]);
      assert.deepEqual(take(selector('rescale', 4, 1, 2), 4), [2, 3, 2, 3]);
      assert.deepEqual([0, 1, 2, 3].map((i) => selector('rescale', 2, i, 4).select('x')), [0, 0, 1, 1]);
    });
  });

  it('shuffle stays within range and reaches every channel', () => {
    const s = selector('shuffle', 5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const c = s.select(i);
      assert.ok(Number.isInteger(c) && c >= 0 && c < 5, `channel ${c}`);
      seen.add(c);
    }
    assert.equal(seen.size, 5);
  });

  it('broadcast selects every channel', () => {
    const s = selector('broadcast', 3);
    assert.equal(s.isBroadcast, true);
    assert.equal(s.select('x'), -1);
  });

  it('hash routes a key to the subtask whose key-group range holds the key group', () => {
    const keys: unknown[] = [
      ...Array.from({ length: 500 }, (_, i) => `user-${i}`),
      ...Array.from({ length: 300 }, (_, i) => i * 13 - 700),
      true, false, 1.5, '', ['a', 1, true], ['b', 2, false],
    ];
    for (const [maxP, n] of [[128, 1], [128, 3], [128, 7], [256, 5], [16, 16], [4096, 10]] as const) {
      const s = selector('hash', n, 0, 1, { keySelector: (v) => (v as { k: unknown }).k, consumerMaxParallelism: maxP });
      const ranges = Array.from({ length: n }, (_, i) => computeKeyGroupRangeForOperatorIndex(maxP, n, i));
      const used = new Set<number>();
      for (const k of keys) {
        const c = s.select({ k });
        const kg = assignToKeyGroup(k, maxP);
        assert.ok(c >= 0 && c < n);
        assert.ok(ranges[c]!.start <= kg && kg <= ranges[c]!.end, `maxP=${maxP} n=${n}: key ${JSON.stringify(k)} (group ${kg}) went to ${c} [${ranges[c]!.start}, ${ranges[c]!.end}]`);
        // Stable: the same key always goes to the same channel.
        assert.equal(s.select({ k }), c);
        used.add(c);
      }
      assert.equal(used.size, n, `maxP=${maxP} n=${n}: all subtasks get keys`);
    }
  });

  it('hash to a single consumer does not call the key selector', () => {
    let calls = 0;
    const s = selector('hash', 1, 0, 1, { keySelector: (v) => { calls++; return v; } });
    assert.deepEqual(take(s, 3, 'k'), [0, 0, 0]);
    assert.equal(calls, 0);
  });

  it('hash without a key selector is refused', () => {
    assert.throws(() => selector('hash', 2), /A hash \(keyBy\) edge needs a key selector/);
  });
});
