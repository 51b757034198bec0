/** S3FileSystem's own logic (prefixes, pagination, batches) on an in-memory store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3FileSystem, S3FileSystemError, parseS3Uri, InvalidS3PathError } from '../src/index.js';
import { TestingS3ObjectStore } from './testing-s3-object-store.js';

test('a recursive delete lists every page and deletes in batches of at most 1000 keys', async () => {
  const store = new TestingS3ObjectStore('bucket', 300);
  for (let i = 0; i < 2_500; i++) store.objects.set(`job/chk-1/f${String(i).padStart(4, '0')}`, { data: Buffer.from('x'), lastModified: 0 });
  store.objects.set('job/chk-10/keep', { data: Buffer.from('x'), lastModified: 0 });
  const fs = new S3FileSystem(store);
  await fs.delete('s3://bucket/job/chk-1', true);
  assert.deepEqual(store.calls.filter((c) => c.startsWith('delete')), ['delete 1000', 'delete 1000', 'delete 501']);
  assert.equal(store.calls.filter((c) => c.startsWith('list job/chk-1/')).length, 9, 'ceil(2500 / 300) pages');
  assert.deepEqual([...store.objects.keys()], ['job/chk-10/keep'], 'a sibling sharing the name prefix survives');
});

test('list derives directories from deeper keys across pages and skips directory markers', async () => {
  const store = new TestingS3ObjectStore('bucket', 2);
  for (const key of ['d/', 'd/a/x', 'd/a/y', 'd/b', 'd/c/deep/z', 'dx/other']) store.objects.set(key, { data: Buffer.from('12'), lastModified: 5 });
  const fs = new S3FileSystem(store);
  assert.deepEqual((await fs.list('s3://bucket/d')).map((s) => [s.path, s.isDirectory, s.length]), [
    ['s3://bucket/d/a', true, 0],
    ['s3://bucket/d/b', false, 2],
    ['s3://bucket/d/c', true, 0],
  ]);
  assert.deepEqual((await fs.list('s3://bucket')).map((s) => s.path), ['s3://bucket/d', 's3://bucket/dx']);
});

test('stat: an object is a file, a prefix a directory, the bucket root a directory; a missing bucket is an error', async () => {
  const store = new TestingS3ObjectStore();
  store.objects.set('a/b', { data: Buffer.from('abc'), lastModified: 9 });
  const fs = new S3FileSystem(store);
  assert.deepEqual(await fs.stat('s3://bucket/a/b'), { path: 's3://bucket/a/b', isDirectory: false, length: 3, modificationTime: 9 });
  assert.equal((await fs.stat('s3://bucket/a'))?.isDirectory, true);
  assert.equal((await fs.stat('s3://bucket/'))?.isDirectory, true);
  assert.equal(await fs.stat('s3://bucket/a/b/c'), undefined);
  await assert.rejects(fs.stat('s3://other/x'), /The bucket 'other' does not exist/);
});

test('a non-recursive delete removes a file or an empty directory marker, and refuses a directory with objects', async () => {
  const store = new TestingS3ObjectStore();
  for (const key of ['f', 'empty/', 'full/x']) store.objects.set(key, { data: Buffer.alloc(0), lastModified: 0 });
  const fs = new S3FileSystem(store);
  await fs.delete('s3://bucket/f', false);
  await fs.delete('s3://bucket/empty', false);
  await assert.rejects(fs.delete('s3://bucket/full', false), (e: unknown) => e instanceof S3FileSystemError && e.reason === 'not-empty');
  assert.deepEqual([...store.objects.keys()], ['full/x']);
});

test('rename copies then deletes, refuses an existing target, a missing source and another bucket', async () => {
  const store = new TestingS3ObjectStore();
  for (const key of ['src/a', 'src/b/c', 'taken']) store.objects.set(key, { data: Buffer.from(key), lastModified: 0 });
  const fs = new S3FileSystem(store);
  await fs.rename('s3://bucket/src', 's3://bucket/dst');
  assert.deepEqual([...store.objects.keys()].sort(), ['dst/a', 'dst/b/c', 'taken']);
  await assert.rejects(fs.rename('s3://bucket/dst/a', 's3://bucket/taken'), (e: unknown) => e instanceof S3FileSystemError && e.reason === 'already-exists');
  await assert.rejects(fs.rename('s3://bucket/nope', 's3://bucket/x'), (e: unknown) => e instanceof S3FileSystemError && e.reason === 'not-found');
  await assert.rejects(fs.rename('s3://bucket/taken', 's3://other/taken'), /same bucket/);
});

test('S3 URIs: bucket and key, aliases keep their scheme, anything else is refused', () => {
  assert.deepEqual(parseS3Uri('s3://b/a/b/'), { scheme: 's3', bucket: 'b', key: 'a/b' });
  assert.deepEqual(parseS3Uri('s3a://b'), { scheme: 's3a', bucket: 'b', key: '' });
  assert.throws(() => parseS3Uri('hdfs://b/x'), InvalidS3PathError);
  assert.throws(() => parseS3Uri('s3:///x'), /expected s3:\/\/<bucket>\/<key>/);
});
