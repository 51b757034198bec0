import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor,
} from '@tsflink/api';
import type { AggregateFunction, Key } from '@tsflink/api';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import { assignKeyToParallelOperator, computeKeyGroupRangeForOperatorIndex } from './key-group-assignment.js';
import type { KeyedStateSource } from './keyed-state-restore.js';
import type { KeyedStateSnapshotResult } from './keyed-state-snapshot.js';
import { MemoryStateOutputStream } from './memory-state-stream.js';
import { IncompatibleStateError, StateFormatError, StateKindMismatchError } from './state-errors.js';

const MAX_PARALLELISM = 128;

const sumCount: AggregateFunction<number, [number, number], string> = {
  createAccumulator: () => [0, 0],
  add: (v, acc) => [acc[0] + v, acc[1] + 1],
  getResult: (acc) => `${acc[0]}/${acc[1]}`,
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};

/** One subtask's backend with one state of each kind. */
function subtask(parallelism: number, index: number) {
  const backend = new HeapKeyedStateBackend({
    keyGroupRange: computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, index),
    maxParallelism: MAX_PARALLELISM,
  });
  return {
    backend,
    value: backend.getState(new ValueStateDescriptor<{ name: string; at: Date }>('value')),
    list: backend.getListState(new ListStateDescriptor<string>('list')),
    map: backend.getMapState(new MapStateDescriptor<[string, number], bigint>('map')),
    reducing: backend.getReducingState(new ReducingStateDescriptor<number>('reducing', (a, b) => Math.max(a, b))),
    aggregating: backend.getAggregatingState(new AggregatingStateDescriptor('aggregating', sumCount)),
  };
}
type Subtask = ReturnType<typeof subtask>;

const KEYS: Key[] = [
  ...Array.from({ length: 600 }, (_, i) => `user-${i}`),
  ...Array.from({ length: 300 }, (_, i) => i * 7 - 1000),
  ...Array.from({ length: 100 }, (_, i) => ['tuple', i, i % 2 === 0] as Key),
  true, false, 1.25, '', 'ünïcødé 😀',
];

function fill(s: Subtask, key: Key, i: number): void {
  s.backend.setCurrentKey(key);
  s.value.update({ name: `n${i}`, at: new Date(i * 1000) });
  s.list.addAll(Array.from({ length: i % 4 }, (_, j) => `e${j}`));
  if (i % 3 !== 0) s.map.put(['m', i], BigInt(i) * 10n ** 20n);
  s.reducing.add(i);
  s.reducing.add(i % 10);
  s.aggregating.add(i);
}

function read(s: Subtask, key: Key) {
  s.backend.setCurrentKey(key);
  return {
    value: s.value.value(),
    list: [...s.list.get()],
    map: [...s.map.entries()],
    reducing: s.reducing.get(),
    aggregating: s.aggregating.get(),
  };
}

/** Builds a job's state at `parallelism`, routing every key as the network would. */
function build(parallelism: number): Subtask[] {
  const subtasks = Array.from({ length: parallelism }, (_, i) => subtask(parallelism, i));
  KEYS.forEach((key, i) => fill(subtasks[assignKeyToParallelOperator(key, MAX_PARALLELISM, parallelism)]!, key, i));
  return subtasks;
}

async function snapshotAll(subtasks: Subtask[]): Promise<KeyedStateSource[]> {
  return Promise.all(subtasks.map(async (s, i) => {
    const sink = new MemoryStateOutputStream();
    const result = await s.backend.snapshot(7).write(sink, { chunkSize: 4096 });
    return { ...result, bytes: sink.reader(), description: `subtask-${i}` };
  }));
}

/** Restores `sources` at `parallelism`, each new subtask reading every source. */
async function restoreAt(parallelism: number, sources: KeyedStateSource[]): Promise<Subtask[]> {
  const subtasks = Array.from({ length: parallelism }, (_, i) => subtask(parallelism, i));
  for (const s of subtasks) await s.backend.restoreKeyGroups(sources);
  return subtasks;
}

function expectAllKeys(subtasks: Subtask[], reference: Subtask[]): void {
  const parallelism = subtasks.length;
  for (const key of KEYS) {
    const owner = subtasks[assignKeyToParallelOperator(key, MAX_PARALLELISM, parallelism)]!;
    const original = reference[assignKeyToParallelOperator(key, MAX_PARALLELISM, reference.length)]!;
    assert.deepEqual(read(owner, key), read(original, key), `state of key ${JSON.stringify(key)}`);
  }
  for (const name of ['value', 'list', 'map', 'reducing', 'aggregating']) {
    const restored = subtasks.reduce((n, s) => n + s.backend.numKeys(name), 0);
    const expected = reference.reduce((n, s) => n + s.backend.numKeys(name), 0);
    assert.equal(restored, expected, `number of keys of state ${name}`);
  }
}

describe('keyed-state restore', () => {
  it('restores at the same parallelism', async () => {
    const original = build(2);
    const restored = await restoreAt(2, await snapshotAll(original));
    expectAllKeys(restored, original);
    assert.ok(restored.every((s) => s.backend.isRestored()));
  });

  it('restoring the same snapshot again overwrites values instead of adding keys twice', async () => {
    const original = build(2);
    const sources = await snapshotAll(original);
    const restored = await restoreAt(2, sources);
    for (const s of restored) await s.backend.restoreKeyGroups(sources);
    expectAllKeys(restored, original);
  });

  it('rescales 2 → 3 and then 3 → 1 with every key preserved exactly', async () => {
    const atTwo = build(2);
    const atThree = await restoreAt(3, await snapshotAll(atTwo));
    expectAllKeys(atThree, atTwo);
    const atOne = await restoreAt(1, await snapshotAll(atThree));
    expectAllKeys(atOne, atTwo);
    assert.equal(atOne[0]!.backend.numKeys('value'), KEYS.length);
  });

  it('reads only the key groups of its own range', async () => {
    const [source] = await snapshotAll(build(1));
    const reads: [number, number][] = [];
    const tracked: KeyedStateSource = {
      ...source!,
      bytes: (offset, length) => {
        reads.push([offset, length]);
        return source!.bytes(offset, length);
      },
    };
    const target = subtask(4, 2); // key groups 64..95
    const stats = await target.backend.restoreKeyGroups([tracked], 2048);
    assert.equal(stats.keyGroups, 32);
    const first = source!.keyGroupOffsets[64]!;
    const end = source!.keyGroupOffsets[96]!;
    const dataReads = reads.slice(2);
    assert.ok(dataReads.length > 1, 'several ranged reads of at most the read size');
    for (const [offset, length] of dataReads) {
      assert.ok(offset >= first && offset + length <= end, `read [${offset}, ${offset + length}) lies within [${first}, ${end})`);
    }
    assert.equal(dataReads.reduce((n, [, l]) => n + l, 0), end - first, 'each wanted byte read once');
  });

  it('reads the next range while the current one decodes', async () => {
    const [source] = await snapshotAll(build(1));
    const target = subtask(1, 0);
    const entriesAtRead: number[] = [];
    const tracked: KeyedStateSource = {
      ...source!,
      bytes: async (offset, length) => {
        entriesAtRead.push(target.backend.numKeys());
        await new Promise((resolve) => setImmediate(resolve));
        return source!.bytes(offset, length);
      },
    };
    await target.backend.restoreKeyGroups([tracked], 4096);
    const dataReads = entriesAtRead.slice(2);
    assert.ok(dataReads.length > 3, `${dataReads.length} ranged reads`);
    assert.deepEqual(dataReads.slice(0, 2), [0, 0], 'the second range was asked for before the first was decoded');
    assert.ok(dataReads.every((n, i) => i === 0 || n >= dataReads[i - 1]!));
  });

  it('skips sources that hold none of its key groups without reading them', async () => {
    const sources = await snapshotAll(build(2));
    let reads = 0;
    const target = subtask(2, 1);
    await target.backend.restoreKeyGroups([{ ...sources[0]!, bytes: (o, l) => { reads++; return sources[0]!.bytes(o, l); } }]);
    assert.equal(reads, 0);
  });

  it('registers restored states, which descriptors then pick up; another kind is refused', async () => {
    const sources = await snapshotAll(build(1));
    const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: MAX_PARALLELISM });
    await backend.restoreKeyGroups(sources);
    assert.deepEqual(backend.getStateMetaInfo().map((m) => m.name), ['value', 'list', 'map', 'reducing', 'aggregating']);
    const list = backend.getListState(new ListStateDescriptor<string>('list'));
    backend.setCurrentKey('user-3');
    assert.deepEqual([...list.get()], ['e0', 'e1', 'e2']);
    assert.throws(() => backend.getState(new ValueStateDescriptor('map')), StateKindMismatchError);

    const clash = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: MAX_PARALLELISM });
    clash.getState(new ValueStateDescriptor('list'));
    await assert.rejects(clash.restoreKeyGroups(sources), StateKindMismatchError);
  });

  it('refuses corrupt, foreign, truncated and incompatible snapshots with errors naming the source', async () => {
    const [source] = await snapshotAll(build(1));
    const bytes = Buffer.from(await source!.bytes(0, source!.length));
    const from = (b: Buffer, extra: Partial<KeyedStateSource> = {}): KeyedStateSource => ({
      ...source!, bytes: async (o, l) => b.subarray(o, o + l), ...extra,
    });
    const fresh = () => new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: MAX_PARALLELISM });

    const flipped = Buffer.from(bytes);
    flipped[source!.keyGroupOffsets[10]! + 6]! ^= 0xff;
    await assert.rejects(fresh().restoreKeyGroups([from(flipped)]), /subtask-0: key group 10 is corrupt \(checksum mismatch\)/);

    const foreign = Buffer.from(bytes);
    foreign.write('NOPE', 0, 'latin1');
    await assert.rejects(fresh().restoreKeyGroups([from(foreign)]), /subtask-0 is not a keyed-state snapshot/);

    const future = Buffer.from(bytes);
    future.writeUInt32LE(99, 4);
    await assert.rejects(fresh().restoreKeyGroups([from(future)]), /format version 99/);

    await assert.rejects(fresh().restoreKeyGroups([from(bytes.subarray(0, bytes.length - 10))]), /is the file truncated/);
    await assert.rejects(fresh().restoreKeyGroups([from(bytes, { keyGroupOffsets: source!.keyGroupOffsets.slice(1) })]), StateFormatError);

    const other = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 255 }, maxParallelism: 256 });
    await assert.rejects(other.restoreKeyGroups([from(bytes)]), IncompatibleStateError);
  });

  it('restores a snapshot of a backend that had no state', async () => {
    const empty = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: MAX_PARALLELISM });
    const sink = new MemoryStateOutputStream();
    const result: KeyedStateSnapshotResult = await empty.snapshot(1).write(sink);
    assert.deepEqual(result.states, []);
    const target = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 63 }, maxParallelism: MAX_PARALLELISM });
    const stats = await target.restoreKeyGroups([{ ...result, bytes: sink.reader() }]);
    assert.equal(stats.entries, 0);
    assert.equal(stats.keyGroups, 64);
  });
});
