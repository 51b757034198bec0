import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3TestServer } from '../../testing/src/servers/s3-test-server.js';
import { S3FileSystem } from '../src/s3/s3-file-system.js';

test('scratch', async () => {
  const t0 = Date.now();
  const server = await S3TestServer.start({ bucket: 'bk' });
  console.log('started in', Date.now() - t0);
  try {
    const fs = await S3FileSystem.fromConfiguration(server.configuration());
    await fs.writeFileAtomic(server.uri('a/b/c'), Buffer.from('hello world'));
    assert.equal((await fs.readRange(server.uri('a/b/c'), 6, 5)).toString(), 'world');
    console.log(await fs.list(server.uri('a')), await fs.stat(server.uri('a/b')));
    const out = await fs.create(server.uri('a/big'));
    for (let i = 0; i < 12; i++) await out.write(Buffer.alloc(1024 * 1024, i));
    console.log(await fs.exists(server.uri('a/big')));
    console.log(await out.close(), await fs.stat(server.uri('a/big')));
    for (let i = 0; i < 30; i++) await fs.writeFileAtomic(server.uri(`d/x${i % 3}/f${i}`), Buffer.from('x'));
    const t1 = Date.now();
    await fs.delete(server.uri('d'), true);
    console.log('deleted in', Date.now() - t1, await fs.exists(server.uri('d')));
    await server.restart();
    console.log(await fs.list(server.uri('a')));
    fs.close();
  } finally {
    await server.stop();
  }
});
