import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateKey } from './key.js';

test('validateKey accepts strings, numbers, booleans and nested arrays of them', () => {
  assert.equal(validateKey('a'), 'a');
  assert.equal(validateKey(3), 3);
  assert.equal(validateKey(false), false);
  const tuple = ['a', 1, [true, 'b']];
  assert.equal(validateKey(tuple), tuple);
});

test('validateKey names the bad key type', () => {
  assert.throws(() => validateKey({ a: 1 }), /Invalid key: key is an object \(Object\)\. Keys must be strings, numbers, booleans or arrays of them/);
  assert.throws(() => validateKey(new Date(0)), /key is an object \(Date\)/);
  assert.throws(() => validateKey(undefined), /key is undefined/);
  assert.throws(() => validateKey(null), /key is null/);
  assert.throws(() => validateKey(() => 1), /key is a function/);
  assert.throws(() => validateKey(Symbol('s')), /key is a symbol/);
  assert.throws(() => validateKey(1n), /key is a bigint/);
  assert.throws(() => validateKey(['ok', { x: 1 }]), /key\[1\] is an object \(Object\)/);
});
