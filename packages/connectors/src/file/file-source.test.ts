import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Boundedness, InputStatus } from '@tsflink/api';
import type { SourceReader } from '@tsflink/api';
import { ManualTimerService } from '@tsflink/core';
import { FileSource } from './file-source.js';
import type { FileSourceSplit } from './file-source-split.js';
import { TextLineInputFormat } from './text-line-input-format.js';

const context = (subtaskIndex = 0, parallelism = 1) => ({ subtaskIndex, parallelism, attemptNumber: 0 });

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tsflink-file-source-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function drain<T>(reader: SourceReader<T, FileSourceSplit>, out: T[] = []): Promise<T[]> {
  for (let guard = 0; guard < 100_000; guard++) {
    const status = await reader.pollNext({ collect: (r) => out.push(r) });
    if (status === InputStatus.END_OF_INPUT) return out;
    assert.equal(status, InputStatus.MORE_AVAILABLE, 'a bounded reader never waits');
  }
  return assert.fail('the reader did not end');
}

function readerFor<T>(source: FileSource<T>, splits: FileSourceSplit[], subtask = 0, parallelism = 1): SourceReader<T, FileSourceSplit> {
  const reader = source.createReader(context(subtask, parallelism));
  reader.addSplits(JSON.parse(JSON.stringify(splits)) as FileSourceSplit[]);
  return reader;
}

test('reads the lines of one file: CRLF, unicode across chunks, last line without break', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'in.txt');
  await writeFile(file, 'héllo wörld\r\n🎉 party\n\nlast ✓');
  for (const fetchSize of [1, 2, 3, 5, 64 * 1024]) {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), file).setFetchSize(fetchSize).build();
    assert.equal(source.getBoundedness(), Boundedness.BOUNDED);
    assert.deepEqual(await drain(readerFor(source, source.createSplits(1))), ['héllo wörld', '🎉 party', '', 'last ✓'], `fetch ${fetchSize}`);
  }
  const viaUri = FileSource.lines(pathToFileURL(file).href);
  assert.deepEqual((await drain(readerFor(viaUri, viaUri.createSplits(1)))).length, 4);
});

test('the position is the byte offset of the next line; a restore at any point resumes exactly', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'numbers.txt');
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${'é'.repeat(i % 4)}`);
  const text = lines.join('\r\n') + '\r\n';
  await writeFile(file, text);
  const offsets = [0];
  for (const l of lines) offsets.push(offsets.at(-1)! + Buffer.byteLength(l) + 2);

  const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), file).setFetchSize(16).build();
  for (let polls = 0; polls < 30; polls++) {
    const reader = readerFor(source, source.createSplits(1));
    const before: string[] = [];
    let ended = false;
    for (let k = 0; k < polls && !ended; k++) ended = (await reader.pollNext({ collect: (l) => before.push(l) })) === InputStatus.END_OF_INPUT;
    const saved = reader.snapshotState(1);
    await reader.close!();
    const fileSplits = saved.filter((s) => s.kind === 'file');
    if (before.length < lines.length && polls > 0) {
      assert.equal(fileSplits.length, 1);
      assert.equal(fileSplits[0]!.kind === 'file' && fileSplits[0]!.offset, offsets[before.length], `offset after ${before.length} lines`);
    }
    const after = await drain(readerFor(source, saved));
    assert.deepEqual([...before, ...after], lines, `restored after ${polls} polls`);
  }
});

test('a directory is read sorted and recursively, skipping hidden files, each file by one reader', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'b.txt'), 'b1\nb2\n');
  await writeFile(join(dir, 'a.txt'), 'a1\n');
  await writeFile(join(dir, 'sub', 'c.txt'), 'c1');
  await writeFile(join(dir, '.hidden'), 'nope\n');
  await writeFile(join(dir, '_in-progress'), 'nope\n');
  await writeFile(join(dir, 'empty.txt'), '');

  const source = FileSource.lines(dir);
  assert.deepEqual(await drain(readerFor(source, source.createSplits(1))), ['a1', 'b1', 'b2', 'c1']);

  for (const parallelism of [2, 3, 5]) {
    const splits = source.createSplits(parallelism);
    assert.equal(splits.length, parallelism);
    const all: string[] = [];
    for (let i = 0; i < parallelism; i++) await drain(readerFor(source, [splits[i]!], i, parallelism), all);
    assert.deepEqual(all.sort(), ['a1', 'b1', 'b2', 'c1'], `parallelism ${parallelism}`);
  }
});

test('finished files are not re-read after a restore, also at another parallelism', async (t) => {
  const dir = await tempDir(t);
  const expected: string[] = [];
  for (let f = 0; f < 6; f++) {
    const content = Array.from({ length: 5 }, (_, i) => `f${f}-${i}`);
    expected.push(...content);
    await writeFile(join(dir, `part-${f}.txt`), content.join('\n'));
  }
  const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir).setFetchSize(8).build();
  const readers = source.createSplits(2).map((s, i) => readerFor(source, [s], i, 2));
  const seen: string[] = [];
  for (let k = 0; k < 7; k++) for (const r of readers) await r.pollNext({ collect: (l) => seen.push(l) });
  const saved = readers.flatMap((r) => r.snapshotState(3));
  assert.ok(seen.length > 0 && seen.length < expected.length, `partially read: ${seen.length}`);
  for (const parallelism of [1, 3]) {
    const rest: string[] = [];
    for (let i = 0; i < parallelism; i++) {
      await drain(readerFor(source, saved.filter((_, j) => j % parallelism === i), i, parallelism), rest);
    }
    assert.deepEqual([...seen, ...rest].sort(), [...expected].sort(), `restored at ${parallelism}`);
  }
});

test('monitorContinuously discovers new files on its interval; assigned files survive a restore', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.txt'), 'a1\na2\n');
  const timers = new ManualTimerService();
  const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir)
    .monitorContinuously(1000).withTime({ clock: timers.clock, timers }).build();
  assert.equal(source.getBoundedness(), Boundedness.CONTINUOUS_UNBOUNDED);
  assert.equal(source.monitorIntervalMs, 1000);

  const reader = readerFor(source, source.createSplits(1));
  const out: string[] = [];
  const collect = { collect: (l: string) => out.push(l) };
  assert.equal(await reader.pollNext(collect), InputStatus.MORE_AVAILABLE);
  assert.equal(await reader.pollNext(collect), InputStatus.NOTHING_AVAILABLE);
  assert.deepEqual(out, ['a1', 'a2']);

  const available = reader.isAvailable();
  assert.equal(reader.isAvailable(), available);
  await writeFile(join(dir, 'b.txt'), 'b1\n');
  let woke = false;
  void available.then(() => { woke = true; });
  timers.advance(999);
  await new Promise((r) => setImmediate(r));
  assert.equal(woke, false, 'not before the interval');
  timers.advance(1);
  await available;
  while ((await reader.pollNext(collect)) === InputStatus.MORE_AVAILABLE) { /* read b */ }
  assert.deepEqual(out, ['a1', 'a2', 'b1']);

  const saved = reader.snapshotState(5);
  await reader.close!();
  assert.deepEqual(saved, [{
    kind: 'discovery', splitId: 'discovery-0-of-1', shard: 0, shardCount: 1, assigned: [join(dir, 'a.txt'), join(dir, 'b.txt')],
  }]);

  await writeFile(join(dir, 'c.txt'), 'c1\n');
  const restored = readerFor(source, saved);
  const after: string[] = [];
  while ((await restored.pollNext({ collect: (l) => after.push(l) })) === InputStatus.MORE_AVAILABLE) { /* read */ }
  assert.deepEqual(after, ['c1'], 'only the new file');
  const pending = restored.isAvailable();
  await restored.close!();
  await pending;
  assert.equal(timers.pendingCount, 0, 'close cancels the wake-up');
});

test('missing paths and foreign schemes fail clearly', async (t) => {
  const dir = await tempDir(t);
  const source = FileSource.lines(join(dir, 'missing.txt'));
  await assert.rejects(drain(readerFor(source, source.createSplits(1))), { name: 'FileSourcePathNotFoundError', message: /does not exist: .*missing\.txt/ });
  assert.throws(() => FileSource.lines('s3://bucket/in'), { name: 'UnsupportedPathSchemeError', message: /Scheme "s3"/ });
  assert.throws(() => FileSource.forRecordStreamFormat(new TextLineInputFormat()), /at least one input path/);
});
