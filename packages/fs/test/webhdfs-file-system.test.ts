/**
 * WebHdfsFileSystem through the `webhdfs` client against the WebHDFS test
 * server (a real HTTP namenode + datanode following the REST API, 307
 * redirects included). (@tsflink/fs cannot depend on @tsflink/testing, which
 * depends on it, so the test servers are imported from its sources.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Configuration, HdfsOptions } from '@tsflink/core';
import { WebHdfsTestServer, WebHdfsTestServerProcess, freePort } from '../../testing/src/index.js';
import {
  createDefaultFileSystemRegistry, DefaultWebHdfsClient, WebHdfsFileSystem, WebHdfsFileSystemError,
  type RetryPolicy, type WebHdfsFileSystemOptions,
} from '../src/index.js';
import { fileSystemContract } from './file-system-contract.js';

const FAST_RETRIES: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, throttledBaseDelayMs: 5, maxDelayMs: 20 };
const OPTIONS: WebHdfsFileSystemOptions = { retryPolicy: FAST_RETRIES, callTimeoutMs: 2_000, socketTimeoutMs: 1_500 };

let server: WebHdfsTestServer;
before(async () => { server = await WebHdfsTestServer.start(); });
after(async () => { await server?.stop(); });

fileSystemContract(
  'WebHdfsFileSystem on the WebHDFS test server',
  { invisibleUntilClose: true, implicitDirectories: false },
  async () => ({ fs: WebHdfsFileSystem.fromConfiguration(new Configuration(), OPTIONS), base: server.uri('/contract') }),
);

describe('WebHdfsFileSystem specifics', () => {
  let fs: WebHdfsFileSystem;
  before(() => { fs = WebHdfsFileSystem.fromConfiguration(new Configuration(), OPTIONS); });
  after(() => server.heal());

  test('hdfs://host/... reaches the WebHDFS port from the configuration, as the configured user; reads follow the 307 to the datanode', async () => {
    const hdfs = WebHdfsFileSystem.fromConfiguration(server.configuration(), OPTIONS);
    const before = server.requests.length;
    await hdfs.writeFileAtomic(server.hdfsUri('/conf/_metadata'), Buffer.from('via hdfs://'));
    assert.equal((await hdfs.readFile(server.hdfsUri('/conf/_metadata'))).toString(), 'via hdfs://');
    assert.deepEqual((await hdfs.list(server.hdfsUri('/conf'))).map((s) => s.path), ['hdfs://127.0.0.1:8020/conf/_metadata']);
    const seen = server.requests.slice(before);
    assert.ok(seen.every((r) => r.user === 'tsflink'), JSON.stringify(seen));
    assert.ok(seen.some((r) => r.node === 'datanode' && r.op === 'CREATE') && seen.some((r) => r.node === 'datanode' && r.op === 'OPEN'));
    // The atomic write: a hidden temporary file, renamed.
    assert.ok(seen.some((r) => r.op === 'RENAME' && /\/conf\/\._metadata\.inprogress\.[0-9a-f]+$/.test(r.path)));
  });

  test('a missing file, an existing target and a non-empty directory are named in plain words', async () => {
    await assert.rejects(fs.readFile(server.uri('/errors/missing')), (error: unknown) => {
      assert.ok(error instanceof WebHdfsFileSystemError);
      assert.equal(error.reason, 'not-found');
      assert.match(error.message, /^Could not read webhdfs:\/\/127\.0\.0\.1:\d+\/errors\/missing: it does not exist \(File does not exist: \/errors\/missing\)\.$/);
      return true;
    });
    await fs.writeFileAtomic(server.uri('/errors/dir/file'), Buffer.from('x'));
    await assert.rejects(fs.create(server.uri('/errors/dir/file')), (error: unknown) =>
      error instanceof WebHdfsFileSystemError && error.reason === 'already-exists');
    await assert.rejects(fs.delete(server.uri('/errors/dir'), false), (error: unknown) =>
      error instanceof WebHdfsFileSystemError && error.reason === 'not-empty' && /directory is not empty/.test(error.message));
  });

  test('a delete the namenode answers false to is caught by the verifying stat', async () => {
    await fs.writeFileAtomic(server.uri('/verify/victim'), Buffer.from('x'));
    server.answerFalseNext('DELETE');
    await assert.rejects(fs.delete(server.uri('/verify/victim'), false), (error: unknown) => {
      assert.ok(error instanceof WebHdfsFileSystemError);
      assert.equal(error.reason, 'not-verified');
      assert.match(error.message, /Deleting webhdfs:\/\/.*\/verify\/victim did not take effect: it still exists \(the namenode answered false\)/);
      return true;
    });
    assert.equal(await fs.exists(server.uri('/verify/victim')), true);
  });

  test('a rename the namenode answers false to is caught, and the webhdfs package itself would have reported success', async () => {
    await fs.writeFileAtomic(server.uri('/verify/src'), Buffer.from('x'));
    server.answerFalseNext('RENAME');
    await assert.rejects(fs.rename(server.uri('/verify/src'), server.uri('/verify/dst')), (error: unknown) =>
      error instanceof WebHdfsFileSystemError && error.reason === 'not-verified' &&
      /answered false; source still there, target missing/.test(error.message));
    // The raw package call: no error, only the boolean our client layer recovers.
    const client = await DefaultWebHdfsClient.create('127.0.0.1', server.namenodePort, { user: 'tsflink', ...OPTIONS });
    server.answerFalseNext('RENAME');
    assert.equal(await client.rename('/verify/src', '/verify/dst'), false);
    assert.equal(await client.rename('/verify/src', '/verify/dst'), true);
  });

  test('an atomic write whose rename is answered false fails and leaves no temporary file', async () => {
    server.answerFalseNext('RENAME');
    await assert.rejects(fs.writeFileAtomic(server.uri('/verify/atomic/_metadata'), Buffer.from('m')), (error: unknown) =>
      error instanceof WebHdfsFileSystemError && error.reason === 'not-verified');
    assert.deepEqual(await fs.list(server.uri('/verify/atomic')), []);
  });

  test('a transient namenode error (500 RetriableException) is retried; a permanent one (403) is not', async () => {
    await fs.writeFileAtomic(server.uri('/retry/f'), Buffer.from('x'));
    server.failNext('GETFILESTATUS', 500, 'RetriableException', { times: 2 });
    let before = server.requests.length;
    assert.equal((await fs.stat(server.uri('/retry/f')))?.length, 1);
    assert.equal(server.requests.length - before, 3);
    server.failNext('GETFILESTATUS', 403, 'AccessControlException', { message: 'Permission denied: user=tsflink, access=READ' });
    before = server.requests.length;
    await assert.rejects(fs.stat(server.uri('/retry/f')), (error: unknown) =>
      error instanceof WebHdfsFileSystemError && error.reason === 'access-denied' &&
      /Permission denied to stat .* as HDFS user '.+' \(AccessControlException: Permission denied: user=tsflink, access=READ\); check fs\.hdfs\.user/.test(error.message));
    assert.equal(server.requests.length - before, 1);
  });

  test('with the datanode down, reads and writes fail quickly with the datanode named, not hang', async () => {
    await fs.writeFileAtomic(server.uri('/dn/f'), Buffer.from('data'));
    await server.datanodeDown(true);
    const started = Date.now();
    try {
      const datanode = new RegExp(`Could not reach the HDFS datanode at 127\\.0\\.0\\.1:${server.datanodePort} to (read|write) .*ECONNREFUSED`);
      await assert.rejects(fs.readFile(server.uri('/dn/f')), (e: unknown) => e instanceof WebHdfsFileSystemError && e.reason === 'unreachable' && datanode.test(e.message));
      await assert.rejects(fs.writeFileAtomic(server.uri('/dn/g'), Buffer.from('x')), (e: unknown) => e instanceof WebHdfsFileSystemError && datanode.test(e.message));
      const out = await fs.create(server.uri('/dn/streamed'));
      await assert.rejects(async () => {
        await out.write(Buffer.alloc(64 * 1024));
        await out.close();
      }, (e: unknown) => e instanceof WebHdfsFileSystemError && datanode.test(e.message));
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    } finally {
      await server.datanodeDown(false);
    }
    assert.deepEqual((await fs.list(server.uri('/dn'))).map((s) => s.path), [server.uri('/dn/f')], 'no temporary files left');
  });

  test('a datanode slower than the time limit gives a timeout error', async () => {
    await fs.writeFileAtomic(server.uri('/slow/f'), Buffer.from('data'));
    const impatient = WebHdfsFileSystem.fromConfiguration(new Configuration(), { retryPolicy: { ...FAST_RETRIES, maxAttempts: 1 }, callTimeoutMs: 300, socketTimeoutMs: 5_000 });
    server.slowDatanode(2_000);
    const started = Date.now();
    try {
      await assert.rejects(impatient.readFile(server.uri('/slow/f')), (e: unknown) =>
        e instanceof WebHdfsFileSystemError && e.reason === 'timeout' && /did not answer in time to read .*did not finish within 300 ms/.test(e.message));
      assert.ok(Date.now() - started < 1_500);
    } finally {
      server.slowDatanode(0);
    }
  });

  test('with the namenode down, calls fail with the namenode named; it comes back on the same port', async () => {
    await fs.writeFileAtomic(server.uri('/nn/f'), Buffer.from('kept'));
    await server.namenodeDown(true);
    try {
      await assert.rejects(fs.stat(server.uri('/nn/f')), (e: unknown) =>
        e instanceof WebHdfsFileSystemError && e.reason === 'unreachable' &&
        e.message.includes(`Could not reach the HDFS namenode at 127.0.0.1:${server.namenodePort} to stat`));
    } finally {
      await server.namenodeDown(false);
    }
    assert.equal((await fs.readFile(server.uri('/nn/f'))).toString(), 'kept');
  });

  test('an endpoint that is not WebHDFS (plain 404 page) is reported as such', async () => {
    const plain = createServer((req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html>Not Found</html>'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as { port: number }).port;
    try {
      await assert.rejects(fs.stat(`webhdfs://127.0.0.1:${port}/x`), (e: unknown) =>
        e instanceof WebHdfsFileSystemError && e.reason === 'bad-endpoint' && /answered 404 without a RemoteException; is 127\.0\.0\.1:\d+ the namenode's HTTP address/.test(e.message));
    } finally {
      plain.close();
    }
  });

  test('an hdfs:// path without a host needs fs.hdfs.webhdfs.address', async () => {
    await assert.rejects(fs.stat('hdfs:///x'), /no namenode host in the URI; write hdfs:\/\/<namenode>\/\.\.\. or set fs\.hdfs\.webhdfs\.address/);
    const withAddress = WebHdfsFileSystem.fromConfiguration(
      new Configuration().set(HdfsOptions.WEBHDFS_ADDRESS, `127.0.0.1:${server.namenodePort}`), OPTIONS);
    await withAddress.writeFileAtomic('hdfs:///addr/f', Buffer.from('a'));
    assert.equal((await withAddress.readFile('hdfs://ignored-host:8020/addr/f')).toString(), 'a');
  });

  test('the default registry serves hdfs and webhdfs with one instance', async () => {
    const registry = createDefaultFileSystemRegistry(server.configuration());
    const hdfs = await registry.get(server.hdfsUri('/r'));
    assert.equal(await registry.get(server.uri('/r')), hdfs);
    await hdfs.writeFileAtomic(server.uri('/r/f'), Buffer.from('same tree'));
    assert.equal((await hdfs.readFile(server.hdfsUri('/r/f'))).toString(), 'same tree');
  });
});

describe('WebHdfsFileSystem against the test server in another process', () => {
  let remote: WebHdfsTestServerProcess;
  before(async () => { remote = await WebHdfsTestServerProcess.start({ namenodePort: await freePort() }); });
  after(async () => { await remote?.stop(); });

  test('writes, reads and the fault hooks work across processes', async () => {
    assert.notEqual(remote.pid, process.pid);
    const fs = WebHdfsFileSystem.fromConfiguration(remote.configuration(), OPTIONS);
    await fs.writeFileAtomic(remote.hdfsUri('/x/_metadata'), Buffer.from('across processes'));
    assert.equal((await fs.readRange(remote.hdfsUri('/x/_metadata'), 7, 9)).toString(), 'processes');
    await remote.datanodeDown(true);
    await assert.rejects(fs.readFile(remote.hdfsUri('/x/_metadata')), (e: unknown) => e instanceof WebHdfsFileSystemError && e.reason === 'unreachable');
    await remote.datanodeDown(false);
    await remote.failNext('GETFILESTATUS', 404, 'FileNotFoundException', { message: 'File does not exist: /x/_metadata' });
    assert.equal(await fs.exists(remote.hdfsUri('/x/_metadata')), false, 'the injected answer');
    assert.equal(await fs.exists(remote.hdfsUri('/x/_metadata')), true);
    assert.ok((await remote.requests()).some((r) => r.node === 'datanode' && r.op === 'OPEN'));
  });
});
