import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PrintSink } from './print-sink.js';
import { printPrefix } from './print-prefix.js';
import type { PrintTarget } from './print-sink.js';

const ctx = (subtaskIndex: number, parallelism: number) => ({ subtaskIndex, parallelism, attemptNumber: 0 });
const write = { timestamp: undefined, currentWatermark: Number.MIN_SAFE_INTEGER };

function capture(): PrintTarget & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (chunk: string) => { lines.push(chunk); return true; } };
}

test('prefixes follow Flink: identifier and subtask with parallelism > 1, identifier alone with 1, else none', () => {
  assert.equal(printPrefix('out', 2, 4), 'out:3> ');
  assert.equal(printPrefix(undefined, 0, 4), '1> ');
  assert.equal(printPrefix('out', 0, 1), 'out> ');
  assert.equal(printPrefix(undefined, 0, 1), '');

  const target = capture();
  const sink = new PrintSink<unknown>('nums', false, target);
  void sink.createWriter(ctx(1, 2)).write(42, write);
  void sink.createWriter(ctx(0, 1)).write([1, 'a'], write);
  void new PrintSink<string>(undefined, false, target).createWriter(ctx(0, 1)).write('plain', write);
  void new PrintSink<string>(undefined, false, target).createWriter(ctx(3, 5)).write('x', write);
  assert.deepEqual(target.lines, ['nums:2> 42\n', 'nums> 1,a\n', 'plain\n', '4> x\n']);
});

test('constructor forms mirror Flink and choose stdout or stderr', () => {
  assert.deepEqual([new PrintSink(true).stdErr, new PrintSink(true).sinkIdentifier], [true, undefined]);
  assert.deepEqual([new PrintSink('id', true).stdErr, new PrintSink('id').sinkIdentifier], [true, 'id']);
  assert.equal(new PrintSink().stdErr, false);
  assert.equal(new PrintSink().stateful, false);
});

test('a full target makes the writer wait for drain', async () => {
  const emitter = new EventEmitter();
  const chunks: string[] = [];
  const target: PrintTarget = { write: (c) => { chunks.push(c); return false; }, once: (e, l) => emitter.once(e, l) };
  const pending = new PrintSink<string>(undefined, false, target).createWriter(ctx(0, 1)).write('a', write);
  assert.ok(pending instanceof Promise);
  let done = false;
  void pending.then(() => { done = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false);
  emitter.emit('drain');
  await pending;
  assert.deepEqual(chunks, ['a\n']);
});
