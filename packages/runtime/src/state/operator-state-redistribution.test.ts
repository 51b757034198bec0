import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperatorStateMetaInfo } from './operator-state-format.js';
import { redistributeOperatorState } from './operator-state-redistribution.js';
import type { OperatorStateHandle } from './operator-state-redistribution.js';

const split = (...offsets: number[]): OperatorStateMetaInfo => ({ mode: 'SPLIT_DISTRIBUTE', offsets });
const union = (...offsets: number[]): OperatorStateMetaInfo => ({ mode: 'UNION', offsets });

/** Per new subtask: state name → [stream, offset] pairs, in order. */
function flatten(result: OperatorStateHandle<string>[][]): Record<string, [string, number][]>[] {
  return result.map((parts) => {
    const out: Record<string, [string, number][]> = {};
    for (const part of parts) {
      for (const [name, meta] of Object.entries(part.states)) {
        out[name] = [...(out[name] ?? []), ...meta.offsets.map((o): [string, number] => [part.stream, o])];
      }
    }
    return out;
  });
}

describe('redistributeOperatorState (round-robin, as Flink)', () => {
  it('deals split state out in contiguous runs, extras to the first subtasks', () => {
    const old: OperatorStateHandle<string>[] = [
      { stream: 's0', states: { offsets: split(10, 20, 30) } },
      { stream: 's1', states: { offsets: split(11, 21) } },
      { stream: 's2', states: { offsets: split(12) } },
    ];
    const result = flatten(redistributeOperatorState(old, 2));
    assert.deepEqual(result, [
      { offsets: [['s0', 10], ['s0', 20], ['s0', 30]] },
      { offsets: [['s1', 11], ['s1', 21], ['s2', 12]] },
    ]);
    const four = flatten(redistributeOperatorState(old, 4));
    assert.deepEqual(four.map((s) => s.offsets?.length ?? 0), [2, 2, 1, 1]);
    assert.deepEqual(four.flatMap((s) => s.offsets ?? []), [['s0', 10], ['s0', 20], ['s0', 30], ['s1', 11], ['s1', 21], ['s2', 12]]);
  });

  it('merges the parts of one stream into one handle per new subtask', () => {
    const old: OperatorStateHandle<string>[] = [
      { stream: 'a', states: { x: split(1, 2, 3, 4), y: split(5, 6) } },
    ];
    const result = redistributeOperatorState(old, 2);
    assert.equal(result[0]!.length, 1);
    assert.equal(result[0]![0]!.stream, 'a');
    assert.deepEqual(Object.keys(result[0]![0]!.states), ['x', 'y']);
  });

  it('rotates the subtask that starts dealing from one state to the next, spreading the extras', () => {
    const old: OperatorStateHandle<string>[] = [
      { stream: 'a', states: { first: split(1, 2, 3, 4), second: split(5, 6, 7, 8), third: split(9) } },
      { stream: 'b', states: {} },
    ];
    const result = flatten(redistributeOperatorState(old, 3));
    // 4 elements over 3 subtasks: 2,1,1 starting at subtask 0; the next state starts where the extras ran out (subtask 1).
    assert.deepEqual(result.map((s) => s.first?.length ?? 0), [2, 1, 1]);
    assert.deepEqual(result.map((s) => s.second?.length ?? 0), [1, 2, 1]);
    assert.deepEqual(result.map((s) => s.second?.map(([, o]) => o)), [[8], [5, 6], [7]]);
    // The third state starts at subtask 2, where the second state's extras ran out.
    assert.deepEqual(result.map((s) => s.third?.length ?? 0), [0, 0, 1]);
  });

  it('gives union state whole to every subtask', () => {
    const old: OperatorStateHandle<string>[] = [
      { stream: 's0', states: { u: union(1, 2), l: split(3) } },
      { stream: 's1', states: { u: union(4) } },
      { stream: 's2', states: { l: split(5, 6) } },
    ];
    for (const p of [1, 2, 5]) {
      const result = flatten(redistributeOperatorState(old, p));
      assert.equal(result.length, p);
      for (const s of result) assert.deepEqual(s.u, [['s0', 1], ['s0', 2], ['s1', 4]]);
      assert.deepEqual(result.flatMap((s) => s.l ?? []), [['s0', 3], ['s2', 5], ['s2', 6]]);
    }
  });

  it('keeps every subtask its own state at the same parallelism', () => {
    const old: OperatorStateHandle<string>[] = [
      { stream: 's0', states: { l: split(1, 2, 3) } },
      { stream: 's1', states: { l: split(4) } },
    ];
    const same = redistributeOperatorState(old, 2);
    assert.deepEqual(same, [[old[0]], [old[1]]]);
    const withUnion: OperatorStateHandle<string>[] = [
      { stream: 's0', states: { l: split(1, 2, 3), u: union(7) } },
      { stream: 's1', states: { l: split(4), u: union(8) } },
    ];
    const result = flatten(redistributeOperatorState(withUnion, 2));
    assert.deepEqual(result[0], { l: [['s0', 1], ['s0', 2], ['s0', 3]], u: [['s0', 7], ['s1', 8]] });
    assert.deepEqual(result[1], { l: [['s1', 4]], u: [['s0', 7], ['s1', 8]] });
  });

  it('handles subtasks without state and states without elements', () => {
    const old = [undefined, { stream: 's1', states: { l: split(), u: union() } }, null];
    const result = redistributeOperatorState<string>(old, 2);
    assert.deepEqual(flatten(result).map((s) => s.l ?? []), [[], []]);
    assert.deepEqual(redistributeOperatorState<string>([undefined, undefined], 2), [[], []]);
    assert.throws(() => redistributeOperatorState(old, 0), RangeError);
  });
});
