import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMetadata, encodeMetadata, type CheckpointMetadata } from './checkpoint-metadata.js';
import { CheckpointLayout } from './checkpoint-layout.js';

const sample: CheckpointMetadata = {
  jobId: 'fd72014d4c864993a2e5a9287b4a9c5d', checkpointId: 7, kind: 'savepoint', triggerTimestamp: 1, completionTimestamp: 2,
  operators: [{
    operatorId: 'a'.repeat(32), uid: 'counter', parallelism: 2, maxParallelism: 128,
    subtasks: [{
      subtaskIndex: 0, stateSize: 10,
      keyed: { keyGroupRange: { start: 0, end: 63 }, keyGroupOffsets: [0, 5], data: { path: 'op-1', offset: 0, length: 10, crc32: 123 }, states: [{ name: 'count', kind: 'value' }], formatVersion: 1, maxParallelism: 128 },
      operator: { data: { offset: 0, length: 3, crc32: 9, inline: Buffer.from([1, 2, 3]) }, states: { s: { mode: 'UNION', offsets: [0] } }, formatVersion: 1 },
    }],
  }],
};

test('metadata round-trips, inline bytes included', () => {
  const decoded = decodeMetadata(encodeMetadata(sample), 'x');
  assert.deepEqual(decoded, sample);
  assert.ok(Buffer.isBuffer(decoded.operators[0]!.subtasks[0]!.operator!.data.inline));
});

test('a foreign or damaged file is refused with its name', () => {
  assert.throws(() => decodeMetadata(Buffer.from('hello world, not metadata'), '/tmp/x/_metadata'), /The file \/tmp\/x\/_metadata is not a tsflink checkpoint or savepoint metadata file\./);
  const bytes = encodeMetadata(sample);
  bytes[bytes.length - 5] ^= 0xff;
  assert.throws(() => decodeMetadata(bytes, 'm'), /The metadata file m is corrupted \(checksum mismatch\)\./);
});

test('layout: names, relative paths, savepoint directory names', () => {
  assert.equal(CheckpointLayout.checkpointDirectory('s3://b/cp/', 'job', 3), 's3://b/cp/job/chk-3');
  assert.equal(CheckpointLayout.metadataFile('file:///x/chk-3'), 'file:///x/chk-3/_metadata');
  const sp = CheckpointLayout.newSavepointDirectory('file:///sp', 'fd72014d4c864993a2e5a9287b4a9c5d');
  assert.match(sp, /^file:\/\/\/sp\/savepoint-fd7201-[0-9a-f]{12}$/);
  assert.ok(CheckpointLayout.isSavepointDirectoryName(sp.split('/').pop()!));
  assert.equal(CheckpointLayout.relativize(sp, `${sp}/op-1`), 'op-1');
  assert.equal(CheckpointLayout.resolve('file:///moved/sp2', 'op-1'), 'file:///moved/sp2/op-1');
  assert.equal(CheckpointLayout.resolve('file:///moved/sp2', 'file:///abs/op'), 'file:///abs/op');
  assert.equal(CheckpointLayout.checkpointIdOf('chk-12'), 12);
});
