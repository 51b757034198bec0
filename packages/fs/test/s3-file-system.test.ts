/**
 * S3FileSystem on a real S3-protocol server (s3rver in a child process),
 * reached through the AWS SDK over HTTP, with a fault-injecting proxy in
 * between. (@tsflink/fs cannot depend on @tsflink/testing, which depends on
 * it, so the test servers are imported from its sources.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Configuration, S3Options } from '@tsflink/core';
import { HttpFaultProxy, S3TestServer, freePort, s3ErrorResponse } from '../../testing/src/index.js';
import { createDefaultFileSystemRegistry, S3FileSystem, S3FileSystemError, type RetryPolicy } from '../src/index.js';
import { fileSystemContract } from './file-system-contract.js';

/** Short pauses, so that retries cost milliseconds. */
const FAST_RETRIES: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2, throttledBaseDelayMs: 5, maxDelayMs: 20 };
const MIN_PART = 5 * 1024 * 1024;

let server: S3TestServer;
let proxy: HttpFaultProxy;
/** Pauses taken between attempts, recorded by the injected sleep. */
let pauses: number[] = [];

/** A file system on the proxy (or another endpoint), with recorded pauses. */
async function fileSystem(overrides: (config: Configuration) => void = () => undefined): Promise<S3FileSystem> {
  const config = server.configuration().set(S3Options.ENDPOINT, proxy.endpoint);
  overrides(config);
  return S3FileSystem.fromConfiguration(config, {
    retryPolicy: FAST_RETRIES,
    sleep: async (ms) => { pauses.push(ms); },
    partSize: MIN_PART,
    connectionTimeoutMs: 1_000,
    socketTimeoutMs: 5_000,
    callTimeoutMs: 20_000,
  });
}

before(async () => {
  server = await S3TestServer.start({ bucket: 'tsflink-it' });
  proxy = await HttpFaultProxy.start(server.endpoint);
});

after(async () => {
  await proxy?.stop();
  await server?.stop();
});

let contractFs: S3FileSystem | undefined;
fileSystemContract(
  'S3FileSystem on s3rver',
  { invisibleUntilClose: true, implicitDirectories: true },
  async () => {
    contractFs = await fileSystem();
    return { fs: contractFs, base: server.uri('contract') };
  },
  async () => contractFs?.close(),
);

describe('S3FileSystem specifics', () => {
  let fs: S3FileSystem;
  before(async () => { fs = await fileSystem(); });
  after(() => fs.close());

  test('a streamed file above the part size goes up as a multipart upload, invisible until completed', async () => {
    const before = proxy.requests.length;
    const out = await fs.create(server.uri('multipart/big'));
    for (let i = 0; i < 11; i++) await out.write(Buffer.alloc(512 * 1024, i));
    assert.equal(await fs.exists(server.uri('multipart/big')), false);
    assert.equal(await out.close(), 11 * 512 * 1024);
    const seen = proxy.requests.slice(before).map((r) => `${r.method} ${r.url}`);
    assert.ok(seen.some((r) => /^POST \/tsflink-it\/multipart\/big\?uploads/.test(r)), seen.join('\n'));
    assert.equal(seen.filter((r) => /^PUT .*partNumber=/.test(r)).length, 2, seen.join('\n'));
    assert.ok(seen.some((r) => /^POST .*uploadId=/.test(r)), 'CompleteMultipartUpload');
    assert.equal((await fs.stat(server.uri('multipart/big')))?.length, 11 * 512 * 1024);
  });

  test('aborting a multipart upload aborts it on the server and leaves no object', async () => {
    const before = proxy.requests.length;
    const out = await fs.create(server.uri('multipart/aborted'));
    for (let i = 0; i < 12; i++) await out.write(Buffer.alloc(512 * 1024, i));
    await out.abort();
    assert.equal(await fs.exists(server.uri('multipart/aborted')), false);
    const seen = proxy.requests.slice(before).map((r) => `${r.method} ${r.url}`);
    assert.ok(seen.some((r) => /^DELETE \/tsflink-it\/multipart\/aborted\?uploadId=/.test(r)), seen.join('\n'));
  });

  test('writeFileAtomic is one PUT', async () => {
    const before = proxy.requests.length;
    await fs.writeFileAtomic(server.uri('atomic/_metadata'), Buffer.from('meta'));
    assert.deepEqual(proxy.requests.slice(before).map((r) => r.method), ['PUT']);
  });

  test('503 SlowDown is retried with backoff until the store lets the request through', async () => {
    pauses = [];
    proxy.failNext(3, s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.'));
    const before = proxy.requests.length;
    await fs.writeFileAtomic(server.uri('throttled/a'), Buffer.from('made it'));
    assert.deepEqual(proxy.requests.slice(before).map((r) => r.outcome), ['injected', 'injected', 'injected', 'forwarded']);
    assert.equal(pauses.length, 3);
    // Throttling pauses start at throttledBaseDelayMs (with jitter in [50 %, 100 %)) and double.
    assert.ok(pauses[0]! >= 2 && pauses[0]! <= 5 && pauses[2]! >= 10 && pauses[2]! <= 20, String(pauses));
    assert.equal((await fs.readFile(server.uri('throttled/a'))).toString(), 'made it');
  });

  test('429 and 500 InternalError are retried too', async () => {
    proxy.failNext(1, s3ErrorResponse(429, 'TooManyRequests', 'Slow down.'));
    proxy.failNext(1, s3ErrorResponse(500, 'InternalError', 'We encountered an internal error. Please try again.'));
    const before = proxy.requests.length;
    assert.equal((await fs.readFile(server.uri('throttled/a'))).toString(), 'made it');
    assert.equal(proxy.requests.length - before, 3);
  });

  test('throttling beyond the retry budget fails with a clear error after exactly the budget of attempts', async () => {
    proxy.failNext(20, s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.'));
    const before = proxy.requests.length;
    await assert.rejects(fs.readFile(server.uri('throttled/a')), (error: unknown) => {
      assert.ok(error instanceof S3FileSystemError);
      assert.equal(error.reason, 'throttled');
      assert.match(error.message, /kept throttling requests \(SlowDown\) to read s3:\/\/tsflink-it\/throttled\/a, 5 attempts/);
      return true;
    });
    assert.equal(proxy.requests.length - before, FAST_RETRIES.maxAttempts);
    proxy.clearFaults();
  });

  test('a throttled part of a multipart upload is retried by itself', async () => {
    proxy.failWhen((method, url) => method === 'PUT' && /partNumber=1&/.test(url + '&'), 2, s3ErrorResponse(503, 'SlowDown', 'Slow down.'));
    const out = await fs.create(server.uri('multipart/retried'));
    await out.write(Buffer.alloc(MIN_PART + 100, 7));
    assert.equal(await out.close(), MIN_PART + 100);
    assert.equal((await fs.readRange(server.uri('multipart/retried'), MIN_PART, 100)).every((b) => b === 7), true);
  });

  test('a permanent error is not retried', async () => {
    const before = proxy.requests.length;
    await assert.rejects(fs.readFile(server.uri('nothing/here')), (error: unknown) =>
      error instanceof S3FileSystemError && error.reason === 'not-found' && error.message === 'File s3://tsflink-it/nothing/here does not exist.');
    assert.equal(proxy.requests.length - before, 1);
  });

  test('a missing bucket is named', async () => {
    await assert.rejects(fs.readFile('s3://no-such-bucket/some/key'), (error: unknown) => {
      assert.ok(error instanceof S3FileSystemError);
      assert.equal(error.reason, 'bucket-not-found');
      assert.equal(error.message, "The bucket 'no-such-bucket' does not exist (s3://no-such-bucket/some/key).");
      return true;
    });
    await assert.rejects(fs.writeFileAtomic('s3://no-such-bucket/k', Buffer.from('x')), /The bucket 'no-such-bucket' does not exist \(s3:\/\/no-such-bucket\/k\)\./);
    // HEAD cannot tell a missing bucket from a missing key; stat asks a listing, which can.
    await assert.rejects(fs.stat('s3://no-such-bucket/k'), /The bucket 'no-such-bucket' does not exist/);
  });

  test('an unknown access key is a clear credentials error', async () => {
    const wrong = await fileSystem((c) => c.set(S3Options.ACCESS_KEY, 'NOT-A-KEY'));
    try {
      await assert.rejects(wrong.readFile(server.uri('throttled/a')), (error: unknown) => {
        assert.ok(error instanceof S3FileSystemError);
        assert.equal(error.reason, 'invalid-credentials');
        assert.match(error.message, /does not know the access key \(InvalidAccessKeyId\) used to read s3:\/\/tsflink-it\/throttled\/a; check s3\.access-key and s3\.secret-key/);
        return true;
      });
      // HEAD answers carry no error code: a plain 403.
      await assert.rejects(wrong.stat(server.uri('throttled/a')), (error: unknown) =>
        error instanceof S3FileSystemError && error.reason === 'access-denied' && /Access was denied \(HTTP 403\) to stat s3:\/\/tsflink-it\/throttled\/a/.test(error.message));
    } finally {
      wrong.close();
    }
  });

  test('a wrong secret key (SignatureDoesNotMatch) is a clear credentials error', async () => {
    // s3rver does not verify v4 signatures, so the proxy answers as S3 does.
    proxy.failNext(1, s3ErrorResponse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'));
    await assert.rejects(fs.readFile(server.uri('throttled/a')), (error: unknown) =>
      error instanceof S3FileSystemError && error.reason === 'invalid-credentials' && /SignatureDoesNotMatch.*check s3\.secret-key/.test(error.message));
  });

  test('an unreachable endpoint fails fast with the endpoint and the URI named', async () => {
    const port = await freePort();
    const unreachable = await fileSystem((c) => c.set(S3Options.ENDPOINT, `http://127.0.0.1:${port}`));
    pauses = [];
    const started = Date.now();
    try {
      await assert.rejects(unreachable.readFile(server.uri('throttled/a')), (error: unknown) => {
        assert.ok(error instanceof S3FileSystemError);
        assert.equal(error.reason, 'unreachable');
        assert.match(error.message, new RegExp(`Could not reach the S3 endpoint http://127\\.0\\.0\\.1:${port} to read s3://tsflink-it/throttled/a \\(.*ECONNREFUSED`));
        return true;
      });
      assert.equal(pauses.length, FAST_RETRIES.maxAttempts - 1, 'connection refused is retried');
      assert.ok(Date.now() - started < 5_000);
    } finally {
      unreachable.close();
    }
  });

  test('an outage of the store is an error while it lasts; after a restart on the same port the data is there', async () => {
    const direct = await fileSystem((c) => c.set(S3Options.ENDPOINT, server.endpoint));
    try {
      await direct.writeFileAtomic(server.uri('outage/kept'), Buffer.from('durable'));
      await server.kill();
      try {
        await assert.rejects(direct.readFile(server.uri('outage/kept')), (error: unknown) =>
          error instanceof S3FileSystemError && error.reason === 'unreachable' && /ECONNREFUSED/.test(error.message));
      } finally {
        await server.restart();
      }
      assert.equal((await direct.readFile(server.uri('outage/kept'))).toString(), 'durable');
    } finally {
      direct.close();
    }
  });

  test('the default registry serves s3, s3a and s3p with one instance', async () => {
    const registry = createDefaultFileSystemRegistry(server.configuration());
    const s3 = await registry.get(server.uri('x'));
    assert.equal(await registry.get('s3a://tsflink-it/x'), s3);
    assert.equal(await registry.get('s3p://tsflink-it/x'), s3);
    await s3.writeFileAtomic('s3a://tsflink-it/alias/f', Buffer.from('via s3a'));
    assert.equal((await s3.readFile(server.uri('alias/f'))).toString(), 'via s3a');
    assert.deepEqual((await s3.list('s3a://tsflink-it/alias')).map((s) => s.path), ['s3a://tsflink-it/alias/f']);
    (s3 as S3FileSystem).close();
  });
});
