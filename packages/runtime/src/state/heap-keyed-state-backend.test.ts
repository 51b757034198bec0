import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor,
} from '@tsflink/api';
import type { AggregateFunction } from '@tsflink/api';
import { HeapKeyedStateBackend, PREFETCH_MIN_KEYS } from './heap-keyed-state-backend.js';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from './key-group-assignment.js';
import { InvalidKeyError, KeyGroupOutOfRangeError, NoCurrentKeyError, StateKindMismatchError } from './state-errors.js';

function fullBackend(maxParallelism = 128): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: maxParallelism - 1 }, maxParallelism });
}

const average: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (value, acc) => {
    acc.sum += value;
    acc.count++;
    return acc;
  },
  getResult: (acc) => acc.sum / acc.count,
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

describe('HeapKeyedStateBackend', () => {
  it('keeps a value per key and returns the default while unset', () => {
    const backend = fullBackend();
    const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
    backend.setCurrentKey('a');
    assert.equal(count.value(), 0);
    count.update(5);
    backend.setCurrentKey('b');
    assert.equal(count.value(), 0);
    count.update(7);
    backend.setCurrentKey('a');
    assert.equal(count.value(), 5);
    count.clear();
    assert.equal(count.value(), 0);
    backend.setCurrentKey('b');
    count.update(null as unknown as number);
    assert.equal(count.value(), 0, 'update(null) clears, as in Flink');
    assert.equal(backend.numKeys('count'), 0);
  });

  it('returns undefined without a default, and a fresh copy of an object default', () => {
    const backend = fullBackend();
    const plain = backend.getState(new ValueStateDescriptor<string>('plain'));
    const withObject = backend.getState(new ValueStateDescriptor('obj', { n: 0 }));
    backend.setCurrentKey(1);
    assert.equal(plain.value(), undefined);
    withObject.value().n = 99;
    assert.deepEqual(withObject.value(), { n: 0 });
  });

  it('list state appends, replaces and clears, and refuses null elements', () => {
    const backend = fullBackend();
    const list = backend.getListState(new ListStateDescriptor<string>('list'));
    backend.setCurrentKey('k');
    assert.deepEqual([...list.get()], []);
    list.add('a');
    list.addAll(['b', 'c']);
    list.addAll([]);
    assert.deepEqual([...list.get()], ['a', 'b', 'c']);
    const replacement = ['x'];
    list.update(replacement);
    list.add('y');
    assert.deepEqual(replacement, ['x'], 'update copies the given array');
    assert.deepEqual([...list.get()], ['x', 'y']);
    list.update([]);
    assert.deepEqual([...list.get()], []);
    assert.equal(backend.numKeys('list'), 0);
    assert.throws(() => list.add(null as unknown as string), /cannot add null/);
    assert.throws(() => list.addAll(['ok', undefined as unknown as string]), /cannot add null/);
    assert.deepEqual([...list.get()], [], 'a rejected addAll adds nothing');
  });

  it('map state supports the whole MapState interface, with array user keys by content', () => {
    const backend = fullBackend();
    const map = backend.getMapState(new MapStateDescriptor<string | [string, number], number>('map'));
    backend.setCurrentKey('user');
    assert.ok(map.isEmpty());
    map.put('a', 1);
    map.putAll([['b', 2], [['t', 1], 3]]);
    assert.equal(map.get('a'), 1);
    assert.equal(map.get(['t', 1]), 3);
    assert.ok(map.contains(['t', 1]));
    assert.ok(!map.contains(['t', 2]));
    assert.equal(map.get('missing'), undefined);
    assert.deepEqual([...map.entries()], [['a', 1], ['b', 2], [['t', 1], 3]]);
    assert.deepEqual([...map.keys()], ['a', 'b', ['t', 1]]);
    assert.deepEqual([...map.values()], [1, 2, 3]);
    map.remove('b');
    map.remove('not there');
    assert.deepEqual([...map.keys()], ['a', ['t', 1]]);
    backend.setCurrentKey('other');
    assert.ok(map.isEmpty());
    backend.setCurrentKey('user');
    map.remove('a');
    map.remove(['t', 1]);
    assert.ok(map.isEmpty());
    assert.equal(backend.numKeys('map'), 0, 'a key whose map became empty is removed');
    map.put('z', 26);
    map.clear();
    assert.ok(map.isEmpty());
  });

  it('reducing state reduces with a function or a ReduceFunction object', () => {
    const backend = fullBackend();
    const sum = backend.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b));
    const max = backend.getReducingState(new ReducingStateDescriptor<number>('max', { reduce: (a, b) => Math.max(a, b) }));
    backend.setCurrentKey(3);
    assert.equal(sum.get(), undefined);
    for (const v of [4, 1, 9, 2]) {
      sum.add(v);
      max.add(v);
    }
    sum.add(undefined as unknown as number);
    assert.equal(sum.get(), 16);
    assert.equal(max.get(), 9);
    sum.clear();
    assert.equal(sum.get(), undefined);
  });

  it('aggregating state keeps the accumulator and returns getResult', () => {
    const backend = fullBackend();
    const avg = backend.getAggregatingState(new AggregatingStateDescriptor('avg', average));
    backend.setCurrentKey(['sensor', 1]);
    assert.equal(avg.get(), undefined);
    avg.add(2);
    avg.add(4);
    backend.setCurrentKey(['sensor', 2]);
    avg.add(10);
    backend.setCurrentKey(['sensor', 1]);
    assert.equal(avg.get(), 3);
    avg.clear();
    assert.equal(avg.get(), undefined);
  });

  it('returns the same state for the same name and refuses another kind under that name', () => {
    const backend = fullBackend();
    const a = backend.getState(new ValueStateDescriptor<number>('s'));
    const b = backend.getState(new ValueStateDescriptor<number>('s'));
    assert.equal(a, b);
    assert.throws(
      () => backend.getListState(new ListStateDescriptor<number>('s')),
      (e: Error) => e instanceof StateKindMismatchError && /State 's' is a value state and cannot be used as a list state/.test(e.message),
    );
  });

  it('addresses array keys by content and reports keys and counts', () => {
    const backend = fullBackend();
    const value = backend.getState(new ValueStateDescriptor<string>('v'));
    const list = backend.getListState(new ListStateDescriptor<number>('l'));
    backend.setCurrentKey(['a', 1]);
    value.update('first');
    backend.setCurrentKey(['a', 1]);
    assert.equal(value.value(), 'first');
    backend.setCurrentKey('x');
    value.update('second');
    list.add(1);
    assert.deepEqual(new Set(backend.getKeys('v')), new Set([['a', 1], 'x']));
    assert.deepEqual([...backend.getKeys('unknown')], []);
    assert.equal(backend.numKeys('v'), 2);
    assert.equal(backend.numKeys('l'), 1);
    assert.equal(backend.numKeys(), 3);
    assert.deepEqual(backend.getStateMetaInfo(), [{ name: 'v', kind: 'value' }, { name: 'l', kind: 'list' }]);
  });

  it('refuses keys of key groups it does not hold (a routing bug)', () => {
    const range = computeKeyGroupRangeForOperatorIndex(128, 2, 0);
    const backend = new HeapKeyedStateBackend({ keyGroupRange: range, maxParallelism: 128 });
    let outside: string | undefined;
    for (let i = 0; outside === undefined; i++) if (!range.contains(assignToKeyGroup(`k${i}`, 128))) outside = `k${i}`;
    const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
    backend.setCurrentKey(outside!);
    assert.equal(count.value(), 0, 'a read finds nothing (the key cannot have been stored)');
    assert.throws(() => count.update(1), KeyGroupOutOfRangeError, 'the first write refuses it');
    assert.throws(() => backend.getCurrentKeyGroup(), KeyGroupOutOfRangeError);
    assert.equal(backend.numKeys(), 0);
    assert.throws(() => backend.setCurrentKeyAndGroup(outside!, assignToKeyGroup(outside!, 128)), KeyGroupOutOfRangeError, 'a key group given with the key is checked at once');
    assert.throws(() => backend.setCurrentKey({} as unknown as string), InvalidKeyError);
  });

  it('exposes the current key and key group, and refuses state access before any key', () => {
    const backend = fullBackend();
    const value = backend.getState(new ValueStateDescriptor<number>('v'));
    assert.throws(() => value.value(), NoCurrentKeyError);
    assert.equal(backend.getCurrentKey(), undefined);
    backend.setCurrentKey('k');
    assert.equal(backend.getCurrentKey(), 'k');
    assert.equal(backend.getCurrentKeyGroup(), assignToKeyGroup('k', 128));
  });

  it('prefetching a batch of keys changes nothing, for large and small states alike', () => {
    const backend = fullBackend();
    const large = backend.getState(new ValueStateDescriptor<number>('large', 0));
    const small = backend.getState(new ValueStateDescriptor<number>('small', 0));
    for (let i = 0; i < PREFETCH_MIN_KEYS + 10; i++) {
      backend.setCurrentKey(`k${i}`);
      large.update(i);
      if (i < 10) small.update(-i);
    }
    backend.setCurrentKey('k3');
    const calls: unknown[] = [];
    const batch = [{ w: 'k3' }, { w: 'k5' }, { w: 'absent' }, { w: 'k3' }];
    backend.prefetch(batch, (record) => {
      calls.push(record);
      return (record as { w: string }).w;
    });
    assert.equal(calls.length, batch.length, 'the key selector ran once per record');
    assert.equal(large.value(), 3, 'the current key is still k3');
    assert.equal(small.value(), -3);
    assert.equal(backend.numKeys('large'), PREFETCH_MIN_KEYS + 10);
    assert.equal(backend.numKeys('small'), 10);
    backend.setCurrentKey('absent');
    assert.equal(large.value(), 0);
    assert.throws(() => backend.prefetch([{}], (record) => record as string), InvalidKeyError, 'an invalid key is refused as processing it would be');
  });

  it('checks its configuration', () => {
    assert.throws(() => new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 128 }, maxParallelism: 128 }), /does not fit/);
    assert.throws(() => new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 1 }, maxParallelism: 0 }), /not within bounds/);
  });
});
