import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '@tsflink/api';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { StateKindMismatchError } from '../state/state-errors.js';
import { PerWindowStateStore } from './per-window-state-store.js';

function setup() {
  const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
  backend.setCurrentKey('k');
  return { backend, store: new PerWindowStateStore(backend) };
}

describe('PerWindowStateStore', () => {
  it('scopes value, list and map state to the current key and window', () => {
    const { backend, store } = setup();
    const count = store.getState(new ValueStateDescriptor<number>('count', 0));
    const seen = store.getListState(new ListStateDescriptor<string>('seen'));
    const byTag = store.getMapState(new MapStateDescriptor<[string, number], number>('byTag'));

    store.windowKey = '0:10';
    count.update(count.value() + 1);
    seen.addAll(['a', 'b']);
    byTag.put(['x', 1], 5);
    byTag.putAll([[['y', 2], 6]]);

    store.windowKey = '10:20';
    assert.equal(count.value(), 0, 'another window starts from the default');
    assert.deepEqual([...seen.get()], []);
    assert.equal(byTag.isEmpty(), true);
    seen.add('c');

    backend.setCurrentKey('other');
    store.windowKey = '0:10';
    assert.equal(count.value(), 0, 'another key has its own per-window state');

    backend.setCurrentKey('k');
    assert.equal(count.value(), 1);
    assert.deepEqual([...seen.get()], ['a', 'b']);
    assert.equal(byTag.get(['x', 1]), 5);
    assert.equal(byTag.contains(['y', 2]), true);
    assert.deepEqual([...byTag.entries()], [[['x', 1], 5], [['y', 2], 6]]);
    assert.deepEqual([...byTag.keys()], [['x', 1], ['y', 2]]);
    assert.deepEqual([...byTag.values()], [5, 6]);
    byTag.remove(['x', 1]);
    byTag.remove(['y', 2]);
    assert.equal(backend.numKeys('_window-state/byTag'), 0, 'an emptied map leaves no entry');

    count.clear();
    seen.update([]);
    assert.equal(backend.numKeys('_window-state/count'), 0);
    store.windowKey = '10:20';
    assert.deepEqual([...seen.get()], ['c']);
    assert.throws(() => seen.add(null as unknown as string), /cannot add null/);
  });

  it('refuses one name with two kinds', () => {
    const { store } = setup();
    store.getState(new ValueStateDescriptor<number>('x'));
    assert.throws(() => store.getListState(new ListStateDescriptor<number>('x')), StateKindMismatchError);
    assert.equal(store.getState(new ValueStateDescriptor<number>('x')), store.getState(new ValueStateDescriptor<number>('x')));
  });
});
