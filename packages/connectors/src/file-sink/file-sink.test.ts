import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SinkWriter } from '@tsflink/api';
import { FileSink } from './file-sink.js';
import type { FileSinkWriterState } from './file-sink-state.js';
import { commitPartFile } from './part-file-commit.js';

const writeContext = { timestamp: undefined, currentWatermark: Number.MIN_SAFE_INTEGER };
type Writer = SinkWriter<string, FileSinkWriterState>;

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tsflink-file-sink-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writer(sink: FileSink<string>, restored: FileSinkWriterState[], subtaskIndex = 0, parallelism = 1): Promise<Writer> {
  const w = sink.createWriter({ subtaskIndex, parallelism, attemptNumber: 0 });
  await w.initializeState!(JSON.parse(JSON.stringify(restored)) as FileSinkWriterState[]);
  return w;
}

async function writeAll(w: Writer, records: string[]): Promise<void> {
  for (const r of records) await w.write(r, writeContext);
}

/** Checkpoint as the runtime does: flush(false) then snapshotState. */
async function snapshot(w: Writer, checkpointId: number): Promise<FileSinkWriterState[]> {
  await w.flush!(false);
  return w.snapshotState!(checkpointId);
}

/** The lines of the committed files, in file order; hidden (in-progress) files are not output. */
async function committedLines(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort((a, b) => {
    const [, wa, pa] = a.split('-');
    const [, wb, pb] = b.split('-');
    return wa!.localeCompare(wb!) || Number(pa) - Number(pb);
  });
  const lines: string[] = [];
  for (const n of names) lines.push(...(await readFile(join(dir, n), 'utf8')).split('\n').filter((l) => l.length > 0));
  return lines;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${from + i}`);

test('exactly once: write, cp1, write, cp2, notify 1, crash, restore cp1 → exactly the records up to cp1, then continue', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<string>(dir).build();
  assert.equal(sink.stateful, true);

  const first = await writer(sink, []);
  await writeAll(first, range(0, 10));
  const state1 = await snapshot(first, 1);
  assert.equal(state1.length, 1);
  assert.equal(state1[0]!.version, 2);
  const id = state1[0]!.writerId;
  assert.match(id, /^[0-9a-f]{8}$/);
  assert.equal(state1[0]!.subtaskIndex, 0);
  assert.equal(state1[0]!.nextPartIndex, 1);
  assert.deepEqual(state1[0]!.pending.map((p) => [p.checkpointId, p.committedFile]), [[1, `part-${id}-0`]]);
  assert.match(state1[0]!.pending[0]!.inProgressFile, new RegExp(`^\\.part-${id}-0\\.inprogress\\.[0-9a-f-]{36}$`));
  assert.deepEqual(await committedLines(dir), [], 'nothing is committed before the checkpoint completes');

  await writeAll(first, range(10, 20));
  const state2 = await snapshot(first, 2);
  assert.deepEqual(state2[0]!.pending.map((p) => p.checkpointId), [1, 2]);
  await writeAll(first, range(20, 25)); // in progress when the crash comes
  await first.notifyCheckpointComplete!(1);
  assert.deepEqual(await committedLines(dir), range(0, 10));
  // crash: the writer is dropped without close(); checkpoint 2 never completed

  const second = await writer(sink, state1);
  assert.deepEqual(await committedLines(dir), range(0, 10), 'exactly the records up to checkpoint 1');
  assert.deepEqual((await readdir(dir)).sort(), [`part-${id}-0`], 'the stray in-progress files are gone');

  // the source replays from checkpoint 1
  await writeAll(second, range(10, 30));
  const state3 = await snapshot(second, 3);
  assert.deepEqual(state3.map((s) => s.writerId), [id], 'the restored writer continues the lineage');
  assert.deepEqual(state3[0]!.pending.map((p) => p.committedFile), [`part-${id}-2`], 'the counter continues after the highest part ever used');
  await second.notifyCheckpointComplete!(3);
  await writeAll(second, range(30, 35));
  await second.flush!(true);
  await second.close!();
  assert.deepEqual(await committedLines(dir), range(0, 35));
  assert.equal((await readdir(dir)).filter((n) => n.startsWith('.')).length, 0);
});

test('a crash before notify: the restored writer commits the pending files of the completed checkpoint', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<string>(dir).build();
  const first = await writer(sink, []);
  await writeAll(first, range(0, 5));
  const state1 = await snapshot(first, 1);
  await writeAll(first, range(5, 8));
  await snapshot(first, 2);

  const second = await writer(sink, state1);
  assert.deepEqual(await committedLines(dir), range(0, 5));
  // a late notification of checkpoint 1 to the restored writer is harmless
  await second.notifyCheckpointComplete!(1);
  // restoring the same state twice (a second failure during recovery) is idempotent
  const third = await writer(sink, state1);
  await writeAll(third, range(5, 8));
  await third.flush!(true);
  assert.deepEqual(await committedLines(dir), range(0, 8));
});

test('files committed at end of input after the restored checkpoint are replaced, not duplicated', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<string>(dir).build();
  const first = await writer(sink, []);
  await writeAll(first, range(0, 4));
  const state1 = await snapshot(first, 1);
  const id = state1[0]!.writerId;
  await first.notifyCheckpointComplete!(1);
  await writeAll(first, range(4, 9));
  await first.flush!(true); // end of input: committed at once
  assert.deepEqual(await committedLines(dir), range(0, 9));

  // another task fails before the job finished: everything restarts from checkpoint 1
  const second = await writer(sink, state1);
  assert.deepEqual(await committedLines(dir), range(0, 4));
  await writeAll(second, range(4, 9));
  await second.flush!(true);
  assert.deepEqual(await committedLines(dir), range(0, 9));
  assert.deepEqual((await readdir(dir)).sort(), [`part-${id}-0`, `part-${id}-2`], 'part 1 (deleted) is never reused');
});

test('a restore at lower parallelism commits and cleans the files of every old subtask', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<string>(dir).build();
  const old = [await writer(sink, [], 0, 2), await writer(sink, [], 1, 2)];
  await writeAll(old[0]!, ['a0', 'a1']);
  await writeAll(old[1]!, ['b0']);
  const states = [...await snapshot(old[0]!, 1), ...await snapshot(old[1]!, 1)];
  await writeAll(old[0]!, ['a2']);
  await writeAll(old[1]!, ['b1']);
  await snapshot(old[0]!, 2);
  await snapshot(old[1]!, 2);

  const [a, b] = states.map((s) => s.writerId);
  const merged = await writer(sink, states, 0, 1);
  assert.deepEqual((await committedLines(dir)).sort(), ['a0', 'a1', 'b0']);
  assert.deepEqual((await readdir(dir)).sort(), [`part-${a}-0`, `part-${b}-0`].sort());
  await writeAll(merged, ['a2', 'b1']);
  const next = await snapshot(merged, 3);
  assert.deepEqual(next.map((s) => [s.writerId, s.nextPartIndex]), [[a, 3]], 'part 1 of lineage a (deleted) is not reused');
  await merged.notifyCheckpointComplete!(3);
  assert.deepEqual((await committedLines(dir)).sort(), ['a0', 'a1', 'a2', 'b0', 'b1']);
});

test('restoring an older checkpoint at lower parallelism removes what every old writer committed after it', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<string>(dir).build();
  const old = [0, 1, 2].map(async (i) => writer(sink, [], i, 3));
  const writers = await Promise.all(old);
  for (const [i, w] of writers.entries()) await writeAll(w, [`s${i}-0`, `s${i}-1`]);
  const savepoint = (await Promise.all(writers.map((w) => snapshot(w, 1)))).flat();
  for (const w of writers) await w.notifyCheckpointComplete!(1);
  // The job ran on past the savepoint and committed more (here at end of input), then was cancelled.
  for (const [i, w] of writers.entries()) { await writeAll(w, [`s${i}-late`]); await w.flush!(true); }
  assert.equal((await committedLines(dir)).length, 9);

  // Resumed from the savepoint at parallelism 2: entries 0 and 1 go to subtask 0, entry 2 to subtask 1.
  const resumed = await Promise.all([writer(sink, savepoint.slice(0, 2), 0, 2), writer(sink, savepoint.slice(2), 1, 2)]);
  assert.deepEqual((await committedLines(dir)).sort(), ['s0-0', 's0-1', 's1-0', 's1-1', 's2-0', 's2-1']);
  for (const [i, w] of resumed.entries()) { await writeAll(w, [`replayed-${i}`]); await w.flush!(true); }
  assert.deepEqual((await committedLines(dir)).sort(), ['replayed-0', 'replayed-1', 's0-0', 's0-1', 's1-0', 's1-1', 's2-0', 's2-1']);
});

test('state of format version 1 (files named by subtask index) still restores and cleans up', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'part-1-0'), 'kept\n');
  await writeFile(join(dir, '.part-1-1.inprogress.u1'), 'pending\n');
  await writeFile(join(dir, 'part-1-2'), 'after the checkpoint\n');
  const v1 = { version: 1, subtaskIndex: 1, nextPartIndex: 2, pending: [{ checkpointId: 4, inProgressFile: '.part-1-1.inprogress.u1', committedFile: 'part-1-1' }] };
  const w = await writer(FileSink.forRowFormat<string>(dir).build(), [v1 as unknown as FileSinkWriterState], 0, 1);
  assert.deepEqual(await committedLines(dir), ['kept', 'pending']);
  await writeAll(w, ['new']);
  const [next] = await snapshot(w, 5);
  assert.deepEqual([next!.version, next!.writerId, next!.nextPartIndex, next!.pending.map((p) => p.committedFile)], [2, '1', 4, ['part-1-3']]);
});

test('commits are idempotent and a lost pending file is an error naming it', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.part-0-0.inprogress.u'), 'x\n');
  const file = { checkpointId: 1, inProgressFile: '.part-0-0.inprogress.u', committedFile: 'part-0-0' };
  await commitPartFile(dir, file);
  await commitPartFile(dir, file);
  assert.deepEqual(await readdir(dir), ['part-0-0']);
  await assert.rejects(commitPartFile(dir, { checkpointId: 1, inProgressFile: '.part-0-1.inprogress.v', committedFile: 'part-0-1' }),
    { name: 'FileSinkCommitError', message: /Cannot commit part file .*\.part-0-1\.inprogress\.v to .*part-0-1: neither file exists/ });
});

test('a fresh start never overwrites existing parts, idle subtasks create no files, large output is written early', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'part-0-4'), 'old\n');
  const sink = FileSink.forRowFormat<string>(pathToFileURL(dir).href).withWriteBufferSize(16).build();
  const w = await writer(sink, []);
  const [fresh] = await snapshot(w, 1);
  assert.notEqual(fresh!.writerId, '0', 'a new lineage, not the one of the files already there');
  assert.deepEqual(fresh, { version: 2, writerId: fresh!.writerId, subtaskIndex: 0, nextPartIndex: 0, pending: [] });
  await writeAll(w, ['0123456789', 'abcdefghij']);
  const inProgress = (await readdir(dir)).filter((n) => n.startsWith('.'));
  assert.equal(inProgress.length, 1);
  assert.equal(await readFile(join(dir, inProgress[0]!), 'utf8'), '0123456789\nabcdefghij\n', 'the buffer was written once full');
  await w.flush!(true);
  assert.deepEqual((await readdir(dir)).sort(), ['part-0-4', `part-${fresh!.writerId}-0`].sort());
});

test('custom encoders, bad state and foreign schemes', async (t) => {
  const dir = await tempDir(t);
  const sink = FileSink.forRowFormat<number>(dir, { encode: (n) => Uint8Array.of(n) }).build();
  const w = sink.createWriter({ subtaskIndex: 0, parallelism: 1, attemptNumber: 0 });
  await w.write(65, writeContext);
  await w.write(66, writeContext);
  await w.flush!(true);
  assert.deepEqual(await committedLines(dir), ['AB']);

  const bad = FileSink.forRowFormat<string>(dir).build().createWriter({ subtaskIndex: 0, parallelism: 1, attemptNumber: 0 });
  await assert.rejects(async () => bad.initializeState!([{ version: 9 } as unknown as FileSinkWriterState]),
    { name: 'FileSinkStateError', message: /unknown state version 9/ });
  assert.throws(() => FileSink.forRowFormat('hdfs://nn/out'), { name: 'UnsupportedPathSchemeError' });
});
