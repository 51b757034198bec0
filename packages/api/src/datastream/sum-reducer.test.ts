import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSumReducer } from './sum-reducer.js';

test('sum adds numbers, tuple fields or object properties, keeping the first record\'s other fields', () => {
  assert.equal(createSumReducer<number>().reduce(2, 3), 5);
  assert.deepEqual(createSumReducer<[string, number]>(1).reduce(['a', 1], ['b', 2]), ['a', 3]);
  assert.deepEqual(createSumReducer<{ k: string; n: number }>('n').reduce({ k: 'a', n: 1 }, { k: 'b', n: 4 }), { k: 'a', n: 5 });
});

test('sum explains records it cannot add', () => {
  assert.throws(() => createSumReducer<unknown>().reduce('a', 'b'), /sum\(\) adds numbers, but a record is string; name the field to add/);
  assert.throws(() => createSumReducer<unknown>(2).reduce(['a', 1], ['b', 2]), /sum\(2\): field 2 of a record is not a number \(got undefined\)/);
  assert.throws(() => createSumReducer(-1), /non-negative field index/);
});
