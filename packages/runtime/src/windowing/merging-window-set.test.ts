import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimeWindow, ValueStateDescriptor } from '@tsflink/api';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { MergingWindowSet } from './merging-window-set.js';

const w = (start: number, end: number) => new TimeWindow(start, end);
const show = (ws: readonly TimeWindow[]) => ws.map((x) => `${x.getStart()}-${x.getEnd()}`).sort();

interface MergeCall { result: string; merged: string[]; stateResult: string; mergedState: string[] }

function setup() {
  const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
  const state = backend.getState(new ValueStateDescriptor<number[] | undefined>('sessions'));
  backend.setCurrentKey('k');
  const set = new MergingWindowSet(state);
  set.load();
  const calls: MergeCall[] = [];
  const add = (window: TimeWindow) => set.addWindow(window, (result, merged, stateResult, mergedState) => {
    calls.push({ result: show([result])[0]!, merged: show(merged), stateResult: show([stateResult])[0]!, mergedState: show(mergedState) });
  });
  return { backend, state, set, calls, add };
}

describe('MergingWindowSet', () => {
  it('keeps separate sessions apart and merges an overlapping one into the earliest state window', () => {
    const { set, calls, add } = setup();
    assert.ok(add(w(0, 10)).equals(w(0, 10)));
    assert.ok(add(w(20, 30)).equals(w(20, 30)));
    assert.equal(calls.length, 0);
    assert.deepEqual(show(set.inFlightWindows), ['0-10', '20-30']);

    // Overlaps the first session: [0, 15), contents stay in [0, 10).
    assert.ok(add(w(5, 15)).equals(w(0, 15)));
    assert.deepEqual(calls, [{ result: '0-15', merged: ['0-10'], stateResult: '0-10', mergedState: [] }]);
    assert.ok(set.getStateWindow(w(0, 15))!.equals(w(0, 10)));

    // Bridges both sessions (touching counts, as in Flink): one session [0, 30).
    calls.length = 0;
    assert.ok(add(w(14, 20)).equals(w(0, 30)));
    assert.deepEqual(calls, [{ result: '0-30', merged: ['0-15', '20-30'], stateResult: '0-10', mergedState: ['20-30'] }]);
    assert.deepEqual(show(set.inFlightWindows), ['0-30']);
    assert.ok(set.getStateWindow(w(0, 30))!.equals(w(0, 10)));
    assert.equal(set.getStateWindow(w(20, 30)), undefined, 'merged windows are gone');
  });

  it('changes nothing for a window inside an existing session or equal to one', () => {
    const { set, calls, add } = setup();
    add(w(0, 10));
    add(w(5, 20));
    calls.length = 0;
    assert.ok(add(w(6, 12)).equals(w(0, 20)));
    assert.ok(add(w(0, 20)).equals(w(0, 20)));
    assert.deepEqual(calls, [], 'no merge call: no contents or timers move');
    assert.deepEqual(show(set.inFlightWindows), ['0-20']);
  });

  it('persists to keyed value state as flat numbers, per key, and loads back', () => {
    const { backend, state, set, add } = setup();
    add(w(0, 10));
    add(w(5, 15));
    add(w(40, 50));
    set.persist();
    assert.deepEqual(state.value(), [0, 15, 0, 10, 40, 50, 40, 50]);

    backend.setCurrentKey('other');
    set.load();
    assert.equal(set.size, 0, 'another key has its own sessions');
    add(w(100, 110));
    set.persist();

    backend.setCurrentKey('k');
    set.load();
    assert.deepEqual(show(set.inFlightWindows), ['0-15', '40-50']);
    set.retireWindow(w(0, 15));
    set.retireWindow(w(40, 50));
    assert.throws(() => set.retireWindow(w(40, 50)), /not in the in-flight window set/);
    set.persist();
    assert.equal(state.value(), undefined, 'an empty set clears the state');
    assert.equal(backend.numKeys('sessions'), 1);
  });
});
