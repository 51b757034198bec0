import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListStateDescriptor } from '@tsflink/api';
import { crc32 } from './crc32.js';
import { MemoryStateOutputStream } from './memory-state-stream.js';
import { DefaultOperatorStateBackend } from './operator-state-backend.js';
import type { OperatorStateSource } from './operator-state-restore.js';
import { redistributeOperatorState } from './operator-state-redistribution.js';
import type { OperatorStateHandle } from './operator-state-redistribution.js';
import { StateFormatError, StateKindMismatchError } from './state-errors.js';

const offsets = new ListStateDescriptor<{ split: number; position: number }>('source-offsets');
const seen = new ListStateDescriptor<string>('seen-subtasks');

/** Snapshots every backend and restores them at `newParallelism` through redistribution. */
async function rescale(backends: DefaultOperatorStateBackend[], newParallelism: number): Promise<DefaultOperatorStateBackend[]> {
  const streams = new Map<string, { sink: MemoryStateOutputStream; length: number }>();
  const handles: OperatorStateHandle<string>[] = [];
  for (const [i, backend] of backends.entries()) {
    const sink = new MemoryStateOutputStream();
    const result = await backend.snapshot(3).write(sink);
    streams.set(`op-${i}`, { sink, length: result.length });
    handles.push({ stream: `op-${i}`, states: result.states });
  }
  const assignment = redistributeOperatorState(handles, newParallelism);
  return Promise.all(assignment.map(async (parts) => {
    const backend = new DefaultOperatorStateBackend();
    const sources: OperatorStateSource[] = parts.map((part) => ({
      bytes: streams.get(part.stream)!.sink.reader(),
      length: streams.get(part.stream)!.length,
      states: part.states,
      description: part.stream,
    }));
    await backend.restore(sources);
    return backend;
  }));
}

function subtaskWithState(index: number, splits: number): DefaultOperatorStateBackend {
  const backend = new DefaultOperatorStateBackend();
  const list = backend.getListState(offsets);
  for (let s = 0; s < splits; s++) list.add({ split: index * 10 + s, position: s * 100 });
  backend.getUnionListState(seen).add(`subtask-${index}`);
  return backend;
}

describe('DefaultOperatorStateBackend', () => {
  it('keeps named lists; the same name returns the same state; modes cannot be mixed', () => {
    const backend = new DefaultOperatorStateBackend();
    const list = backend.getListState(offsets);
    assert.equal(backend.getListState(offsets), list);
    list.add({ split: 1, position: 0 });
    list.addAll([{ split: 2, position: 5 }]);
    assert.deepEqual([...list.get()], [{ split: 1, position: 0 }, { split: 2, position: 5 }]);
    list.update([{ split: 3, position: 9 }]);
    assert.deepEqual([...list.get()], [{ split: 3, position: 9 }]);
    list.clear();
    assert.deepEqual([...list.get()], []);
    assert.throws(() => list.add(null as never), /cannot add null/);
    assert.throws(() => backend.getUnionListState(offsets), StateKindMismatchError);
    assert.deepEqual(backend.getRegisteredStateNames(), ['source-offsets']);
    assert.equal(backend.isRestored(), false);
  });

  it('snapshots into bytes with per-element offsets and a checksum', async () => {
    const backend = subtaskWithState(0, 3);
    const snapshot = backend.snapshot(9);
    const sink = new MemoryStateOutputStream();
    const result = await snapshot.write(sink);
    const bytes = sink.toBuffer();
    assert.equal(bytes.toString('latin1', 0, 4), 'TFOS');
    assert.equal(result.length, bytes.length);
    assert.equal(result.checksum, crc32(bytes));
    assert.equal(result.checkpointId, 9);
    assert.equal(result.states['source-offsets']!.mode, 'SPLIT_DISTRIBUTE');
    assert.equal(result.states['source-offsets']!.offsets.length, 3);
    assert.equal(result.states['seen-subtasks']!.mode, 'UNION');
    // Mutations after the (synchronous) snapshot do not reach the bytes.
    backend.getListState(offsets).clear();
    const restored = new DefaultOperatorStateBackend();
    await restored.restore([{ bytes: sink.reader(), length: result.length, states: result.states }]);
    assert.deepEqual([...restored.getListState(offsets).get()], [0, 1, 2].map((s) => ({ split: s, position: s * 100 })));
    assert.ok(restored.isRestored());
  });

  it('restores 2 → 3 → 1: split elements spread round-robin and all kept, union state whole everywhere', async () => {
    const two = [subtaskWithState(0, 4), subtaskWithState(1, 3)];
    const all = two.flatMap((b) => [...b.getListState(offsets).get()]);
    const three = await rescale(two, 3);
    assert.deepEqual(three.map((b) => [...b.getListState(offsets).get()].length), [3, 2, 2]);
    assert.deepEqual(three.flatMap((b) => [...b.getListState(offsets).get()]), all);
    for (const b of three) assert.deepEqual([...b.getUnionListState(seen).get()], ['subtask-0', 'subtask-1']);

    const one = await rescale(three, 1);
    assert.deepEqual([...one[0]!.getListState(offsets).get()], all);
    // Each of the three held the full union list, so a union of unions holds it three times, as in Flink.
    assert.deepEqual([...one[0]!.getUnionListState(seen).get()].sort(), ['subtask-0', 'subtask-0', 'subtask-0', 'subtask-1', 'subtask-1', 'subtask-1']);
  });

  it('keeps restored states that are not requested again in the next snapshot', async () => {
    const [restored] = await rescale([subtaskWithState(0, 2)], 1);
    const result = await restored!.snapshot(4).write(new MemoryStateOutputStream());
    assert.deepEqual(Object.keys(result.states), ['source-offsets', 'seen-subtasks']);
  });

  it('refuses corrupt bytes and offsets that are not elements', async () => {
    const sink = new MemoryStateOutputStream();
    const result = await subtaskWithState(0, 3).snapshot(1).write(sink);
    const bytes = Buffer.from(sink.toBuffer());
    bytes[result.states['source-offsets']!.offsets[1]! + 3]! ^= 0x01;
    const source = (b: Buffer, states = result.states): OperatorStateSource => ({
      bytes: async (o, l) => b.subarray(o, o + l), length: result.length, states, description: 'op-file',
    });
    await assert.rejects(new DefaultOperatorStateBackend().restore([source(bytes)]), (e: Error) => e instanceof StateFormatError && /op-file/.test(e.message));
    const wrongOffset = { 'source-offsets': { mode: 'SPLIT_DISTRIBUTE' as const, offsets: [result.states['source-offsets']!.offsets[0]! + 1] } };
    await assert.rejects(new DefaultOperatorStateBackend().restore([source(sink.toBuffer(), wrongOffset)]), /no element of operator state 'source-offsets' starts at offset/);
    const wrongMode = { 'source-offsets': { mode: 'UNION' as const, offsets: [] } };
    await assert.rejects(new DefaultOperatorStateBackend().restore([source(sink.toBuffer(), wrongMode)]), /written as SPLIT_DISTRIBUTE/);
    const foreign = Buffer.from(sink.toBuffer());
    foreign.write('XXXX', 0, 'latin1');
    await assert.rejects(new DefaultOperatorStateBackend().restore([source(foreign)]), /not an operator-state snapshot/);
  });
});
