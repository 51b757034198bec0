import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { SourceContext } from '@tsflink/api';
import { SocketTextStreamFunction } from './socket-text-stream-function.js';

function collector(out: string[], whenAvailable: () => Promise<void> = () => Promise.resolve()): SourceContext<string> {
  return {
    collect: (r) => { out.push(r); },
    collectWithTimestamp: (r) => { out.push(r); },
    emitWatermark: () => {},
    markAsTemporarilyIdle: () => {},
    getCheckpointLock: () => ({}),
    whenAvailable,
  };
}

async function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

test('emits the lines a real TCP server sends and ends when it closes the connection', async (t) => {
  const { server, port } = await listen((socket) => {
    socket.write('first\r\nsecond\nthi');
    setTimeout(() => socket.end('rd ✓\nno newline at the end'), 20);
  });
  t.after(() => server.close());
  const out: string[] = [];
  await new SocketTextStreamFunction('127.0.0.1', port).run(collector(out));
  assert.deepEqual(out, ['first', 'second', 'third ✓', 'no newline at the end']);
});

test('a large stream yields to the event loop between chunks (checkpoints can run)', async (t) => {
  const lines = 200_000;
  const { server, port } = await listen((socket) => {
    const payload = Array.from({ length: lines }, (_, i) => `record-${i}`).join('\n') + '\n';
    socket.end(payload);
  });
  t.after(() => server.close());
  const out: string[] = [];
  let ticks = 0;
  let countAtFirstTick = -1;
  const ticker = setInterval(() => {
    ticks++;
    if (countAtFirstTick < 0 && out.length > 0) countAtFirstTick = out.length;
  }, 0);
  try {
    await new SocketTextStreamFunction('127.0.0.1', port).run(collector(out));
  } finally {
    clearInterval(ticker);
  }
  assert.equal(out.length, lines);
  assert.equal(out[123_456], 'record-123456');
  assert.ok(ticks > 0 && countAtFirstTick > 0 && countAtFirstTick < lines, `timers ran while reading (ticks=${ticks}, first at ${countAtFirstTick})`);
});

test('back-pressure: while downstream has no room the socket is not read, and the sender is held back by TCP', async (t) => {
  const lines = 2_000_000;
  let serverSocket: Socket | undefined;
  let allWritten = false;
  const { server, port } = await listen((socket) => {
    serverSocket = socket;
    // ≈ 30 MB: far more than the kernel's socket buffers, so a reader that stops reading stalls the writer.
    const payload = Array.from({ length: lines }, (_, i) => `record-${String(i).padStart(7, '0')}`).join('\n') + '\n';
    socket.end(payload, () => { allWritten = true; });
  });
  t.after(() => server.close());
  const out: string[] = [];
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => { release = resolve; });
  let asked = 0;
  const running = new SocketTextStreamFunction('127.0.0.1', port).run(collector(out, () => { asked++; return blocked; }));
  while (asked === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const atBlock = out.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(out.length, atBlock, 'nothing more is read while downstream has no room');
  assert.equal(allWritten, false, 'the sender could not write everything');
  assert.ok(serverSocket!.writableLength > 0, 'the sender has bytes waiting for the reader');
  release();
  await running;
  assert.equal(out.length, lines);
  assert.equal(out[lines - 1], `record-${lines - 1}`);
});

test('cancel() closes the socket and run() returns', async (t) => {
  const sockets: Socket[] = [];
  const { server, port } = await listen((socket) => { sockets.push(socket); socket.write('hello\nwor'); });
  t.after(() => { for (const s of sockets) s.destroy(); server.close(); });
  const source = new SocketTextStreamFunction('127.0.0.1', port, '\n', -1);
  const out: string[] = [];
  const running = source.run(collector(out));
  while (out.length === 0) await new Promise((r) => setTimeout(r, 5));
  source.cancel();
  await running;
  assert.deepEqual(out, ['hello'], 'the partial record is dropped on cancel');
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(sockets[0]!.destroyed || sockets[0]!.readableEnded, 'the server sees the connection closed');
});

test('reconnects while retries are left, keeping a custom delimiter across connections', async (t) => {
  let connections = 0;
  const { server, port } = await listen((socket) => {
    connections++;
    socket.end(connections === 1 ? 'a;b;pa' : 'rt;c');
  });
  t.after(() => server.close());
  const out: string[] = [];
  await new SocketTextStreamFunction('127.0.0.1', port, ';', 1, 10).run(collector(out));
  assert.equal(connections, 2);
  assert.deepEqual(out, ['a', 'b', 'part', 'c']);
});

test('a refused connection fails run() with the address', async () => {
  const { server, port } = await listen(() => {});
  await new Promise((r) => server.close(r));
  await assert.rejects(new SocketTextStreamFunction('127.0.0.1', port).run(collector([])), new RegExp(`Cannot connect to socket 127\\.0\\.0\\.1:${port}`));
  assert.throws(() => new SocketTextStreamFunction('localhost', 70000), /Port is out of range/);
});
