import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAggregateFunction, checkSourceFunction, toFlatMapFunction, toKeySelector, toMapFunction } from './function-normalization.js';
import { RichMapFunction } from './rich-function.js';
import type { Collector } from './collector.js';

test('a lambda becomes an object with the method', () => {
  const f = toMapFunction((n: number) => n * 2);
  assert.equal(f.map(21), 42);
  const out: string[] = [];
  toFlatMapFunction((s: string, c: Collector<string>) => s.split(' ').forEach((w) => c.collect(w)))
    .flatMap('a b', { collect: (w) => out.push(w) });
  assert.deepEqual(out, ['a', 'b']);
  assert.equal(toKeySelector((n: number) => n % 10).getKey(13), 3);
});

test('objects and class instances are kept as the same instance', () => {
  class Doubler extends RichMapFunction<number, number> { map(n: number) { return n * 2; } }
  const d = new Doubler();
  assert.equal(toMapFunction(d), d);
  const literal = { map: (n: number) => n + 1 };
  assert.equal(toMapFunction(literal), literal);
});

test('a class passed without new and a wrong object get clear errors', () => {
  class Doubler extends RichMapFunction<number, number> { map(n: number) { return n * 2; } }
  assert.throws(() => toMapFunction(Doubler as never), /map\(\) got the class Doubler itself; pass an instance: new Doubler\(\.\.\.\)/);
  assert.throws(() => toMapFunction({ apply: () => 1 } as never), /map\(\) expects a MapFunction: a function, or an object with a map\(\) method, got an object/);
  assert.throws(() => checkAggregateFunction({ add: () => 1 } as never), /aggregate\(\) expects an AggregateFunction/);
  assert.throws(() => checkSourceFunction((async () => {}) as never), /addSource\(\) expects a SourceFunction: an object with run\(ctx\) and cancel\(\) methods, got function/);
});
