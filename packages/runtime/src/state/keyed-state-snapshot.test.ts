import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor,
} from '@tsflink/api';
import type { AggregateFunction } from '@tsflink/api';
import { ValueEncodingError } from '../serialization/codec-errors.js';
import { ChunkBufferPool } from './chunk-buffer-pool.js';
import { crc32 } from './crc32.js';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import { assignToKeyGroup } from './key-group-assignment.js';
import { KEYED_STATE_FORMAT_VERSION } from './keyed-state-format.js';
import type { KeyedStateSnapshotResult } from './keyed-state-snapshot.js';
import { MemoryStateOutputStream } from './memory-state-stream.js';

const MAX_PARALLELISM = 128;

const counter: AggregateFunction<number, { n: number }, number> = {
  createAccumulator: () => ({ n: 0 }),
  add: (v, acc) => {
    acc.n += v; // mutates the accumulator in place, as many real functions do
    return acc;
  },
  getResult: (acc) => acc.n,
  merge: (a, b) => ({ n: a.n + b.n }),
};

/** A backend with every kind of state, filled for `keys`. */
function filledBackend(keys: readonly string[]) {
  const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 }, maxParallelism: MAX_PARALLELISM });
  const states = {
    value: backend.getState(new ValueStateDescriptor<{ v: number }>('value')),
    list: backend.getListState(new ListStateDescriptor<number>('list')),
    map: backend.getMapState(new MapStateDescriptor<string, number[]>('map')),
    reducing: backend.getReducingState(new ReducingStateDescriptor<number>('reducing', (a, b) => a + b)),
    aggregating: backend.getAggregatingState(new AggregatingStateDescriptor('aggregating', counter)),
  };
  keys.forEach((key, i) => {
    backend.setCurrentKey(key);
    states.value.update({ v: i });
    states.list.addAll([i, i + 1]);
    states.map.put('m', [i]);
    states.reducing.add(i);
    states.aggregating.add(i);
  });
  return { backend, states };
}

/** Every key's state as plain data, for comparisons. */
function dump(keys: readonly string[], { backend, states }: ReturnType<typeof filledBackend>) {
  return keys.map((key) => {
    backend.setCurrentKey(key);
    return {
      key,
      value: structuredClone(states.value.value()),
      list: [...states.list.get()],
      map: structuredClone([...states.map.entries()]),
      reducing: states.reducing.get(),
      aggregating: states.aggregating.get(),
    };
  });
}

async function restoreInto(result: KeyedStateSnapshotResult, sink: MemoryStateOutputStream, keys: readonly string[]) {
  const restored = filledBackend([]);
  await restored.backend.restoreKeyGroups([{ ...result, bytes: sink.reader() }]);
  return dump(keys, restored);
}

const KEYS = Array.from({ length: 400 }, (_, i) => `key-${i}`);

describe('keyed-state snapshots', () => {
  it('write the state as it was when taken, while writes after it go on (copy-on-write)', async () => {
    const filled = filledBackend(KEYS);
    const before = dump(KEYS, filled);
    const snapshot = filled.backend.snapshot(1);
    const { backend, states } = filled;

    // Mutate every kind of state in every way before the snapshot is written.
    for (const key of KEYS.slice(0, 200)) {
      backend.setCurrentKey(key);
      states.value.value().v += 1000; // in-place mutation of the object read from state
      states.list.add(-1); // in-place push into the stored array
      (states.map.get('m') as number[]).push(-2); // in-place mutation of a map value
      states.map.put('new', [1]); // in-place put into the inner map
      states.reducing.add(1000);
      states.aggregating.add(1000); // the aggregate function mutates the accumulator
    }
    for (const key of KEYS.slice(200, 250)) {
      backend.setCurrentKey(key);
      for (const state of Object.values(states)) state.clear();
    }
    backend.setCurrentKey('brand-new-key');
    states.value.update({ v: -1 });

    const sink = new MemoryStateOutputStream();
    const result = await snapshot.write(sink);
    assert.deepEqual(await restoreInto(result, sink, KEYS), before, 'the snapshot holds the pre-snapshot state');

    backend.setCurrentKey('key-0');
    assert.equal(states.value.value().v, 1000);
    assert.deepEqual([...states.list.get()], [0, 1, -1]);
    assert.deepEqual([...states.map.entries()], [['m', [0, -2]], ['new', [1]]]);
    assert.equal(states.aggregating.get(), 1000);
    backend.setCurrentKey('key-200');
    assert.equal(states.value.value(), undefined);
  });

  it('encodes exactly the key groups written while a snapshot is pending, copies none, and nothing after it is written', async () => {
    const filled = filledBackend(KEYS);
    const { backend, states } = filled;
    const before = dump(KEYS, filled);
    const table = backend.getTable('list')!;
    const snapshot = backend.snapshot(1);
    assert.equal(table.keyGroupEncodes + table.keyGroupCopies, 0, 'taking a snapshot encodes and copies nothing');
    const touched = new Set<number>();
    for (const key of KEYS.slice(0, 5)) {
      backend.setCurrentKey(key);
      states.list.add(7);
      states.list.add(8);
      touched.add(assignToKeyGroup(key, MAX_PARALLELISM));
    }
    assert.equal(table.keyGroupEncodes, touched.size, 'the first write to a group encodes it, the second nothing');
    assert.equal(table.keyGroupCopies, 0);
    const sink = new MemoryStateOutputStream();
    const result = await snapshot.write(sink);
    const groups = new Set(KEYS.map((key) => assignToKeyGroup(key, MAX_PARALLELISM)));
    assert.equal(table.keyGroupEncodes, groups.size, 'the writer encoded the other (small) groups through the table');
    for (const key of KEYS) {
      backend.setCurrentKey(key);
      states.list.add(9);
    }
    assert.equal(table.keyGroupEncodes, groups.size, 'a written snapshot no longer pins anything');
    assert.equal(table.keyGroupCopies, 0);
    assert.deepEqual(await restoreInto(result, sink, KEYS), before);
  });

  it('does not copy for reads of primitive values', () => {
    const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
    const value = backend.getState(new ValueStateDescriptor<number>('n'));
    for (const key of KEYS) {
      backend.setCurrentKey(key);
      value.update(1);
    }
    backend.snapshot(1);
    for (const key of KEYS) {
      backend.setCurrentKey(key);
      assert.equal(value.value(), 1);
    }
    assert.equal(backend.getTable('n')!.keyGroupCopies, 0);
    assert.equal(backend.getTable('n')!.keyGroupEncodes, 0);
  });

  it('released without writing, it stops pinning; it can be written only once', async () => {
    const { backend, states } = filledBackend(KEYS);
    const released = backend.snapshot(1);
    released.release();
    released.release();
    backend.setCurrentKey('key-1');
    states.list.add(5);
    assert.equal(backend.getTable('list')!.keyGroupCopies, 0);
    assert.equal(backend.getTable('list')!.keyGroupEncodes, 0);
    await assert.rejects(released.write(new MemoryStateOutputStream()), /already released/);
    const once = backend.snapshot(2);
    await once.write(new MemoryStateOutputStream());
    await assert.rejects(once.write(new MemoryStateOutputStream()), /already written/);
  });

  it('keeps two pending snapshots consistent with each other', async () => {
    const filled = filledBackend(KEYS);
    const { backend, states } = filled;
    const list = backend.getTable('list')!;
    const atFirst = dump(KEYS, filled); // (reads hand out objects: dump before snapshotting, so it encodes nothing)
    const first = backend.snapshot(1);
    backend.setCurrentKey('key-3');
    states.list.add(100);
    assert.equal(list.keyGroupEncodes, 1, 'encoded for the first snapshot');
    const atSecond = dump(KEYS, filled);
    const encodesBefore = list.keyGroupEncodes;
    const second = backend.snapshot(2);
    backend.setCurrentKey('key-3');
    states.list.add(200);
    assert.equal(list.keyGroupEncodes, encodesBefore + 1, 'encoded again for the second snapshot only');
    const sink2 = new MemoryStateOutputStream();
    const result2 = await second.write(sink2);
    backend.setCurrentKey('key-3');
    states.list.add(300);
    const sink1 = new MemoryStateOutputStream();
    const result1 = await first.write(sink1);
    assert.deepEqual(await restoreInto(result1, sink1, KEYS), atFirst);
    assert.deepEqual(await restoreInto(result2, sink2, KEYS), atSecond);
  });

  it('streams in chunks of the requested size and records each key group offset and a checksum', async () => {
    const { backend } = filledBackend(KEYS);
    const sink = new MemoryStateOutputStream();
    const result = await backend.snapshot(42).write(sink, { chunkSize: 2048 });
    const sizes = sink.chunkSizes;
    assert.ok(sizes.length > 3, `several chunks (${sizes.length})`);
    for (const size of sizes.slice(0, -1)) assert.ok(size >= 2048, `chunk of ${size} bytes`);
    const bytes = sink.toBuffer();
    assert.equal(result.length, bytes.length);
    assert.equal(result.checksum, crc32(bytes));
    assert.equal(result.checkpointId, 42);
    assert.equal(result.formatVersion, KEYED_STATE_FORMAT_VERSION);
    assert.equal(bytes.toString('latin1', 0, 4), 'TFKS');
    assert.deepEqual(result.keyGroupRange, { start: 0, end: 127 });
    assert.equal(result.keyGroupOffsets.length, 128);
    result.keyGroupOffsets.forEach((offset, kg) => assert.equal(bytes.readUInt32LE(offset), kg, `block of key group ${kg}`));
    assert.deepEqual(result.states.map((s) => s.kind), ['value', 'list', 'map', 'reducing', 'aggregating']);
  });

  it('yields to the event loop while writing', async () => {
    const { backend } = filledBackend(KEYS);
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    await backend.snapshot(1).write(new MemoryStateOutputStream(), { chunkSize: 1024 });
    running = false;
    assert.ok(turns >= 3, `the event loop ran ${turns} times during the write`);
  });

  it('waits for an asynchronous sink before the next chunk', async () => {
    const { backend } = filledBackend(KEYS);
    let inFlight = 0;
    let maxInFlight = 0;
    const chunks: Buffer[] = [];
    const sink = {
      async write(chunk: Buffer) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        chunks.push(chunk);
        inFlight--;
      },
    };
    const result = await backend.snapshot(1).write(sink, { chunkSize: 4096 });
    assert.equal(maxInFlight, 1);
    assert.equal(Buffer.concat(chunks).length, result.length);
  });

  it('writes the state as taken while records change every key between its chunks and slices', async () => {
    const filled = filledBackend(KEYS);
    const { backend, states } = filled;
    const before = dump(KEYS, filled);
    const snapshot = backend.snapshot(1);
    let round = 0;
    const chunks: Buffer[] = [];
    const sink = {
      write(chunk: Buffer) {
        chunks.push(chunk);
        round++;
        // Between two chunks, "records" touch every key: groups the writer has passed, the one it is in, and later ones.
        for (const key of KEYS) {
          backend.setCurrentKey(key);
          states.value.value().v += 1;
          states.list.add(round);
          states.map.put('m', [round]);
          states.aggregating.add(1);
        }
      },
    };
    const result = await snapshot.write(sink, { chunkSize: 1024, sliceMs: 0 });
    assert.ok(round > 5, `${round} chunks`);
    const bytes = Buffer.concat(chunks);
    assert.equal(result.checksum, crc32(bytes));
    const restored = filledBackend([]);
    await restored.backend.restoreKeyGroups([{ ...result, bytes: async (o, l) => bytes.subarray(o, o + l) }]);
    assert.deepEqual(dump(KEYS, restored), before);
    backend.setCurrentKey('key-0');
    assert.equal(states.value.value().v, round, 'the live state has every change');
    const encodes = ['value', 'list', 'map', 'aggregating'].map((name) => backend.getTable(name)!.keyGroupEncodes);
    assert.ok(encodes.every((n) => n > 0), `records encoded groups ahead of the writer (${encodes.join(', ')})`);
  });

  it('reuses two pooled chunk buffers when the sink releases chunks, and the bytes are those of a fresh-buffer write', async () => {
    const { backend } = filledBackend(KEYS);
    const fresh = new MemoryStateOutputStream();
    const expected = await backend.snapshot(1).write(fresh, { chunkSize: 2048 });
    const pool = new ChunkBufferPool();
    const releasingSink = (copies: Buffer[], buffers: Set<ArrayBufferLike>) => ({
      releasesChunks: true,
      async write(chunk: Buffer) {
        buffers.add(chunk.buffer);
        await new Promise((resolve) => setImmediate(resolve));
        copies.push(Buffer.from(chunk));
      },
    });
    const copies: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const result = await backend.snapshot(2).write(releasingSink(copies, buffers), { chunkSize: 2048, chunkBuffers: pool });
    assert.ok(copies.length > 5, `${copies.length} chunks`);
    assert.equal(buffers.size, 2, 'two buffers, alternating');
    assert.deepEqual(Buffer.concat(copies), fresh.toBuffer());
    assert.deepEqual({ ...result, checkpointId: 1 }, expected);
    assert.equal(pool.size, 2, 'both went back to the pool');

    const again = new Set<ArrayBufferLike>();
    await backend.snapshot(3).write(releasingSink([], again), { chunkSize: 2048, chunkBuffers: pool });
    assert.equal(again.size, 2);
    assert.ok([...again].every((b) => buffers.has(b)), 'the next snapshot writes into the same two buffers');
  });

  it('fails with the sink\'s error, after no write is in flight any more, and releases the snapshot', async () => {
    const { backend, states } = filledBackend(KEYS);
    let writes = 0;
    let inFlight = 0;
    const failing = {
      async write() {
        inFlight++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        if (++writes === 3) throw new Error('disk full');
      },
    };
    await assert.rejects(backend.snapshot(1).write(failing, { chunkSize: 1024 }), /disk full/);
    assert.equal(inFlight, 0);
    assert.equal(writes, 3, 'no chunk was handed over after the failure surfaced');
    for (const key of KEYS) {
      backend.setCurrentKey(key);
      states.list.add(1);
    }
    assert.equal(backend.getTable('list')!.keyGroupCopies, 0);
    const encodes = backend.getTable('list')!.keyGroupEncodes;
    for (const key of KEYS) {
      backend.setCurrentKey(key);
      states.list.add(2);
    }
    assert.equal(backend.getTable('list')!.keyGroupEncodes, encodes, 'nothing is pinned any more');
  });

  it('matches a model through random updates, insertions, deletions and overlapping snapshots', async () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? i : `k${i}`));
    const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 7 }, maxParallelism: 8 });
    const count = backend.getState(new ValueStateDescriptor<number>('count'));
    const list = backend.getListState(new ListStateDescriptor<number>('list'));
    const map = backend.getMapState(new MapStateDescriptor<string, number>('map'));
    const snapshotOf = () => keys.map((key) => {
      backend.setCurrentKey(key);
      return { key, count: count.value(), list: [...list.get()], map: [...map.entries()] };
    });
    const randomOp = () => {
      backend.setCurrentKey(keys[random(keys.length)]!);
      const op = random(10);
      if (op < 6) count.update((count.value() ?? 0) + 1); // mostly value updates, as a running count
      else if (op === 6) count.clear();
      else if (op === 7) list.add(random(100));
      else if (op === 8) map.put(`m${random(3)}`, random(100));
      else map.remove(`m${random(3)}`);
    };
    const pending: Array<{ expected: ReturnType<typeof snapshotOf>; write: Promise<{ result: KeyedStateSnapshotResult; bytes: Buffer }> }> = [];
    for (let round = 0; round < 40; round++) {
      for (let i = random(80); i > 0; i--) randomOp();
      const expected = snapshotOf();
      const snapshot = backend.snapshot(round);
      const chunks: Buffer[] = [];
      // Records keep coming between the writer's chunks; some snapshots wait for later ones to be taken first.
      const sink = { write(chunk: Buffer) { chunks.push(chunk); for (let i = random(20); i > 0; i--) randomOp(); } };
      const startWrite = async () => ({ result: await snapshot.write(sink, { chunkSize: 64, sliceMs: 0 }), bytes: Buffer.concat(chunks) });
      if (random(3) === 0) {
        const later = new Promise<void>((resolve) => setImmediate(resolve)).then(startWrite);
        pending.push({ expected, write: later });
      } else {
        pending.push({ expected, write: startWrite() });
      }
      for (let i = random(30); i > 0; i--) randomOp();
    }
    for (const { expected, write } of pending) {
      const { result, bytes } = await write;
      const restored = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 7 }, maxParallelism: 8 });
      const rCount = restored.getState(new ValueStateDescriptor<number>('count'));
      const rList = restored.getListState(new ListStateDescriptor<number>('list'));
      const rMap = restored.getMapState(new MapStateDescriptor<string, number>('map'));
      await restored.restoreKeyGroups([{ ...result, bytes: async (o, l) => bytes.subarray(o, o + l) }]);
      const actual = keys.map((key) => {
        restored.setCurrentKey(key);
        return { key, count: rCount.value(), list: [...rList.get()], map: [...rMap.entries()] };
      });
      assert.deepEqual(actual, expected, `snapshot of checkpoint ${result.checkpointId}`);
    }
    const table = backend.getTable('count')!;
    assert.ok(table.keyGroupEncodesWithKeptKeys > 0, 'some encodings used kept keys');
    assert.ok(table.keyGroupEncodes > table.keyGroupEncodesWithKeptKeys, 'and some could not');
  });

  it('names the state when a value cannot be written, and releases the snapshot', async () => {
    const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
    const value = backend.getState(new ValueStateDescriptor<unknown>('bad'));
    backend.setCurrentKey('k');
    value.update(new (class Widget {})());
    const neighbour = KEYS.find((key) => assignToKeyGroup(key, 128) === assignToKeyGroup('k', 128))!;
    backend.setCurrentKey(neighbour);
    value.update(2);
    const snapshot = backend.snapshot(1);
    value.update(3); // the record path cannot encode the group: it copies it instead of throwing
    assert.equal(backend.getTable('bad')!.keyGroupCopies, 1);
    await assert.rejects(
      snapshot.write(new MemoryStateOutputStream()),
      (e: Error) => e instanceof ValueEncodingError && /value state 'bad'/.test(e.message) && /Widget/.test(e.message),
    );
    backend.setCurrentKey('k');
    value.update(1);
    assert.equal(backend.getTable('bad')!.keyGroupCopies, 1, 'a failed write released its pins');
    assert.equal(backend.getTable('bad')!.keyGroupEncodes, 0);
  });
});
