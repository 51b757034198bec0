import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { DrainOrFailure } from './drain-or-failure.js';

test('a write below the high-water mark resolves at once; above it, after the reader drains the body', async () => {
  const body = new PassThrough({ highWaterMark: 16 });
  const drain = new DrainOrFailure();
  await drain.write(body, Buffer.alloc(8));
  let done = false;
  const waiting = drain.write(body, Buffer.alloc(64)).then(() => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(done, false, 'the body is full: the write waits');
  body.resume();
  await waiting;
  assert.equal(done, true);
});

test('a write waiting for drain rejects with the upload failure, and stops listening for drain', async () => {
  const body = new PassThrough({ highWaterMark: 16 });
  const drain = new DrainOrFailure();
  const waiting = drain.write(body, Buffer.alloc(64));
  assert.equal(body.listenerCount('drain'), 1);
  drain.fail(new Error('upload failed: 503'));
  await assert.rejects(waiting, /upload failed: 503/);
  assert.equal(body.listenerCount('drain'), 0);
  drain.fail(new Error('nothing waits: ignored'));
});
