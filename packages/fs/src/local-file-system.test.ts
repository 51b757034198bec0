import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileSystem } from './local-file-system.js';
import { FileSystemRegistry, UnsupportedFileSystemSchemeError } from './file-system-registry.js';

const dir = () => 'file://' + mkdtempSync(join(tmpdir(), 'tsflink-fs-'));

test('atomic write leaves no temp file and replaces the target', async () => {
  const fs = new LocalFileSystem();
  const d = dir();
  await fs.writeFileAtomic(`${d}/a/_metadata`, Buffer.from('one'));
  await fs.writeFileAtomic(`${d}/a/_metadata`, Buffer.from('two'));
  assert.equal((await fs.readFile(`${d}/a/_metadata`)).toString(), 'two');
  assert.deepEqual(readdirSync(d.slice(7) + '/a'), ['_metadata']);
});

test('streamed create, readRange, list, stat, rename and delete', async () => {
  const fs = new LocalFileSystem();
  const d = dir();
  const out = await fs.create(`${d}/x/state`);
  await out.write(Buffer.from('hello '));
  await out.write(Buffer.from('world'));
  assert.equal(await out.close(), 11);
  assert.equal((await fs.readRange(`${d}/x/state`, 6, 5)).toString(), 'world');
  await assert.rejects(fs.readRange(`${d}/x/state`, 6, 50), /shorter than expected/);
  assert.deepEqual((await fs.list(`${d}/x`)).map((s) => [s.path.endsWith('/state'), s.length]), [[true, 11]]);
  assert.equal((await fs.stat(`${d}/x`))?.isDirectory, true);
  assert.equal(await fs.stat(`${d}/nope`), undefined);
  await fs.rename(`${d}/x`, `${d}/y`);
  assert.equal(await fs.exists(`${d}/x`), false);
  await assert.rejects(fs.create(`${d}/y/state`), /EEXIST/);
  await fs.delete(`${d}/y`, true);
  assert.equal(await fs.exists(`${d}/y`), false);
  await fs.delete(`${d}/y`, true); // missing is fine
});

test('aborted stream leaves nothing behind', async () => {
  const fs = new LocalFileSystem();
  const d = dir();
  const out = await fs.create(`${d}/f`);
  await out.write(Buffer.from('partial'));
  await out.abort();
  assert.equal(await fs.exists(`${d}/f`), false);
});

test('plain absolute paths are file:// and unknown schemes are named', async () => {
  const reg = new FileSystemRegistry();
  assert.equal((await reg.get('/tmp/x')).scheme, 'file');
  await assert.rejects(reg.get('gs://bucket/x'), (e: unknown) =>
    e instanceof UnsupportedFileSystemSchemeError && /scheme 'gs'/.test(e.message));
});
