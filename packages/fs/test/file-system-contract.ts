/**
 * The behaviour every FileSystem must show, as one suite run against each
 * implementation (local disk, S3 on s3rver, WebHDFS on the test server).
 * Differences the stores cannot hide are declared as capabilities.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FileSystem } from '../src/index.js';

/** What differs between stores by nature. */
export interface ContractCapabilities {
  /** A file being written through create() is invisible under its name until close() (S3, HDFS; not local disk). */
  invisibleUntilClose: boolean;
  /** Directories exist only through the files under them (S3): mkdirs alone creates nothing visible. */
  implicitDirectories: boolean;
}

/** A file system to test and a fresh base URI under which the suite may write. */
export interface ContractTarget {
  fs: FileSystem;
  base: string;
}

/** Size of the streamed file: above S3's 5 MiB part size, so the S3 upload is multipart. */
export const LARGE_FILE_BYTES = 6 * 1024 * 1024 + 12_345;

/** Registers the contract suite. `setUp` runs once before the tests, `tearDown` after them. */
export function fileSystemContract(
  name: string,
  capabilities: ContractCapabilities,
  setUp: () => Promise<ContractTarget>,
  tearDown: () => Promise<void> = async () => undefined,
): void {
  describe(`FileSystem contract: ${name}`, () => {
    let fs: FileSystem;
    let base: string;
    let counter = 0;
    /** A fresh directory URI for one test. */
    const dir = () => `${base}/t${++counter}`;

    before(async () => {
      ({ fs, base } = await setUp());
    });
    after(tearDown);

    test('writeFileAtomic then readFile returns the bytes; a second write replaces them and leaves no temporary file', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/_metadata`, Buffer.from('first version'));
      assert.equal((await fs.readFile(`${d}/_metadata`)).toString(), 'first version');
      await fs.writeFileAtomic(`${d}/_metadata`, Buffer.from('second'));
      assert.equal((await fs.readFile(`${d}/_metadata`)).toString(), 'second');
      assert.deepEqual((await fs.list(d)).map((s) => s.path), [`${d}/_metadata`]);
    });

    test('readRange reads inside the file, up to its end, and refuses to read past it', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/f`, Buffer.from('0123456789'));
      assert.equal((await fs.readRange(`${d}/f`, 2, 3)).toString(), '234');
      assert.equal((await fs.readRange(`${d}/f`, 7, 3)).toString(), '789');
      assert.equal((await fs.readRange(`${d}/f`, 10, 0)).length, 0);
      await assert.rejects(fs.readRange(`${d}/f`, 8, 5), /shorter than expected/);
      await assert.rejects(fs.readRange(`${d}/f`, 20, 5), /shorter than expected/);
    });

    test('list gives the direct children, files with their sizes and directories, sorted; a missing directory lists empty', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/b.bin`, Buffer.alloc(7));
      await fs.writeFileAtomic(`${d}/a/deep/x`, Buffer.from('x'));
      await fs.writeFileAtomic(`${d}/c/y`, Buffer.from('yy'));
      const listed = await fs.list(d);
      assert.deepEqual(listed.map((s) => [s.path, s.isDirectory, s.length]), [
        [`${d}/a`, true, 0],
        [`${d}/b.bin`, false, 7],
        [`${d}/c`, true, 0],
      ]);
      assert.deepEqual(await fs.list(`${d}/missing`), []);
    });

    test('stat and exists tell files, directories and missing paths apart', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/sub/file`, Buffer.from('12345'));
      const file = await fs.stat(`${d}/sub/file`);
      assert.equal(file?.isDirectory, false);
      assert.equal(file?.length, 5);
      assert.equal(file?.path, `${d}/sub/file`);
      assert.ok((file?.modificationTime ?? 0) > 0);
      assert.equal((await fs.stat(`${d}/sub`))?.isDirectory, true);
      assert.equal(await fs.stat(`${d}/nope`), undefined);
      assert.equal(await fs.exists(`${d}/sub/file`), true);
      assert.equal(await fs.exists(`${d}/sub`), true);
      assert.equal(await fs.exists(`${d}/nope`), false);
    });

    test('mkdirs succeeds and files can be written below it', async () => {
      const d = dir();
      await fs.mkdirs(`${d}/x/y`);
      await fs.mkdirs(`${d}/x/y`); // twice is fine
      assert.equal(await fs.exists(`${d}/x/y`), !capabilities.implicitDirectories);
      await fs.writeFileAtomic(`${d}/x/y/z`, Buffer.from('z'));
      assert.equal(await fs.exists(`${d}/x/y`), true);
    });

    test(`a streamed create of ${LARGE_FILE_BYTES} bytes is read back exactly, across chunk and part boundaries`, async () => {
      const d = dir();
      const data = randomBytes(LARGE_FILE_BYTES);
      const out = await fs.create(`${d}/state`);
      for (let offset = 0; offset < data.length; offset += 256 * 1024) {
        await out.write(data.subarray(offset, Math.min(data.length, offset + 256 * 1024)));
      }
      if (capabilities.invisibleUntilClose) assert.equal(await fs.exists(`${d}/state`), false, 'visible before close()');
      assert.equal(await out.close(), data.length);
      assert.equal(await out.close(), data.length, 'close() twice returns the same count');
      assert.equal((await fs.stat(`${d}/state`))?.length, data.length);
      assert.ok((await fs.readFile(`${d}/state`)).equals(data));
      const boundary = 5 * 1024 * 1024;
      assert.ok((await fs.readRange(`${d}/state`, boundary - 10, 20)).equals(data.subarray(boundary - 10, boundary + 10)));
      assert.deepEqual((await fs.list(d)).map((s) => s.path), [`${d}/state`]);
    });

    test('an empty streamed file exists with length 0', async () => {
      const d = dir();
      const out = await fs.create(`${d}/empty`);
      assert.equal(await out.close(), 0);
      assert.equal((await fs.stat(`${d}/empty`))?.length, 0);
      assert.equal((await fs.readFile(`${d}/empty`)).length, 0);
    });

    test('create refuses an existing file', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/taken`, Buffer.from('keep me'));
      await assert.rejects(fs.create(`${d}/taken`));
      assert.equal((await fs.readFile(`${d}/taken`)).toString(), 'keep me');
    });

    test('an aborted stream leaves nothing behind', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/other`, Buffer.from('o'));
      const out = await fs.create(`${d}/aborted`);
      await out.write(Buffer.from('partial data'));
      await out.abort();
      assert.equal(await fs.exists(`${d}/aborted`), false);
      assert.deepEqual((await fs.list(d)).map((s) => s.path), [`${d}/other`]);
      await assert.rejects(out.write(Buffer.from('more')));
    });

    test('delete removes a file; recursive delete removes a whole tree; missing paths are fine', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/single`, Buffer.from('1'));
      await fs.delete(`${d}/single`, false);
      assert.equal(await fs.exists(`${d}/single`), false);
      for (const p of ['chk-1/_metadata', 'chk-1/op/state', 'chk-1/op/deeper/x', 'shared/s']) {
        await fs.writeFileAtomic(`${d}/tree/${p}`, Buffer.from(p));
      }
      await assert.rejects(fs.delete(`${d}/tree`, false), 'a non-empty directory needs recursive');
      assert.equal(await fs.exists(`${d}/tree/chk-1/_metadata`), true);
      await fs.delete(`${d}/tree/chk-1`, true);
      assert.equal(await fs.exists(`${d}/tree/chk-1`), false);
      assert.deepEqual((await fs.list(`${d}/tree`)).map((s) => s.path), [`${d}/tree/shared`]);
      await fs.delete(`${d}/tree`, true);
      assert.equal(await fs.exists(`${d}/tree`), false);
      await fs.delete(`${d}/tree`, true);
      await fs.delete(`${d}/never`, false);
    });

    test('rename moves a file (making the target directory) and refuses an existing target', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/from`, Buffer.from('payload'));
      await fs.rename(`${d}/from`, `${d}/moved/to`);
      assert.equal(await fs.exists(`${d}/from`), false);
      assert.equal((await fs.readFile(`${d}/moved/to`)).toString(), 'payload');
      await fs.writeFileAtomic(`${d}/other`, Buffer.from('other'));
      await assert.rejects(fs.rename(`${d}/other`, `${d}/moved/to`));
      assert.equal((await fs.readFile(`${d}/moved/to`)).toString(), 'payload');
      assert.equal((await fs.readFile(`${d}/other`)).toString(), 'other');
    });

    test('rename moves a directory with its contents', async () => {
      const d = dir();
      await fs.writeFileAtomic(`${d}/src/a`, Buffer.from('a'));
      await fs.writeFileAtomic(`${d}/src/sub/b`, Buffer.from('b'));
      await fs.rename(`${d}/src`, `${d}/dst`);
      assert.equal(await fs.exists(`${d}/src`), false);
      assert.equal((await fs.readFile(`${d}/dst/a`)).toString(), 'a');
      assert.equal((await fs.readFile(`${d}/dst/sub/b`)).toString(), 'b');
    });

    test('reading a missing file fails', async () => {
      const d = dir();
      await assert.rejects(fs.readFile(`${d}/missing`));
      await assert.rejects(fs.readRange(`${d}/missing`, 0, 1));
    });
  });
}
