/**
 * The WebHDFS test server speaks the documented REST API (checked here with
 * plain HTTP, no client library), so that what the WebHDFS file system is
 * tested against is the protocol and not our own assumptions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { WebHdfsTestServer } from '../../testing/src/index.js';

let server: WebHdfsTestServer;
let nn: string;
before(async () => {
  server = await WebHdfsTestServer.start();
  nn = `http://127.0.0.1:${server.namenodePort}/webhdfs/v1`;
});
after(async () => { await server?.stop(); });

/** The status of a raw request (the path sent exactly as written), or the connection error's code. */
function rawStatus(port: number, path: string, method = 'GET'): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

/** A request that does not follow redirects. */
function call(url: string, method: string, body?: string): Promise<Response> {
  return fetch(url, { method, redirect: 'manual', ...(body !== undefined && { body }) });
}

test('CREATE: the namenode redirects (307) to the datanode, which stores the body and answers 201', async () => {
  const redirect = await call(`${nn}/p/a.txt?op=CREATE&user.name=alice&overwrite=false`, 'PUT');
  assert.equal(redirect.status, 307);
  const location = redirect.headers.get('location')!;
  assert.match(location, new RegExp(`^http://127\\.0\\.0\\.1:${server.datanodePort}/webhdfs/v1/p/a\\.txt\\?.*op=CREATE.*namenoderpcaddress=`));
  const created = await call(location, 'PUT', 'hello');
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('location'), `webhdfs://127.0.0.1:${server.namenodePort}/p/a.txt`);

  const again = await call((await call(`${nn}/p/a.txt?op=CREATE&overwrite=false`, 'PUT')).headers.get('location')!, 'PUT', 'x');
  assert.equal(again.status, 403);
  assert.equal((await again.json() as { RemoteException: { exception: string } }).RemoteException.exception, 'FileAlreadyExistsException');
});

test('APPEND: 307 then 200; OPEN: 307 then the bytes, honouring offset and length', async () => {
  const append = await call(`${nn}/p/a.txt?op=APPEND`, 'POST');
  assert.equal(append.status, 307);
  assert.equal((await call(append.headers.get('location')!, 'POST', ' world')).status, 200);
  const open = await call(`${nn}/p/a.txt?op=OPEN&offset=6&length=3`, 'GET');
  assert.equal(open.status, 307);
  const data = await fetch(open.headers.get('location')!);
  assert.equal(data.status, 200);
  assert.equal(await data.text(), 'wor');
  assert.equal(await (await fetch(`${nn}/p/a.txt?op=OPEN`)).text(), 'hello world', 'fetch follows the redirect itself');
});

test('GETFILESTATUS, LISTSTATUS, MKDIRS, RENAME and DELETE answer the documented JSON', async () => {
  const status = await (await fetch(`${nn}/p/a.txt?op=GETFILESTATUS`)).json() as { FileStatus: Record<string, unknown> };
  assert.equal(status.FileStatus['type'], 'FILE');
  assert.equal(status.FileStatus['length'], 11);
  assert.equal(status.FileStatus['pathSuffix'], '');
  assert.deepEqual(await (await call(`${nn}/p/dir/sub?op=MKDIRS`, 'PUT')).json(), { boolean: true });
  const list = await (await fetch(`${nn}/p?op=LISTSTATUS`)).json() as { FileStatuses: { FileStatus: Array<{ pathSuffix: string; type: string }> } };
  assert.deepEqual(list.FileStatuses.FileStatus.map((s) => [s.pathSuffix, s.type]), [['a.txt', 'FILE'], ['dir', 'DIRECTORY']]);
  assert.deepEqual(await (await call(`${nn}/p/a.txt?op=RENAME&destination=/p/dir`, 'PUT')).json(), { boolean: true }, 'into a directory');
  assert.equal((await fetch(`${nn}/p/dir/a.txt?op=GETFILESTATUS`)).status, 200);
  assert.deepEqual(await (await call(`${nn}/p/missing?op=RENAME&destination=/p/x`, 'PUT')).json(), { boolean: false });
  const notEmpty = await call(`${nn}/p/dir?op=DELETE`, 'DELETE');
  assert.equal(notEmpty.status, 403);
  assert.equal((await notEmpty.json() as { RemoteException: { exception: string } }).RemoteException.exception, 'PathIsNotEmptyDirectoryException');
  assert.deepEqual(await (await call(`${nn}/p/dir?op=DELETE&recursive=true`, 'DELETE')).json(), { boolean: true });
  assert.deepEqual(await (await call(`${nn}/p/dir?op=DELETE&recursive=true`, 'DELETE')).json(), { boolean: false }, 'already gone');
});

test('errors are RemoteException JSON with WebHDFS status codes', async () => {
  const missing = await fetch(`${nn}/nope?op=GETFILESTATUS`);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    RemoteException: { exception: 'FileNotFoundException', javaClassName: 'java.io.FileNotFoundException', message: 'File does not exist: /nope' },
  });
  const badOp = await call(`${nn}/x?op=FROBNICATE`, 'PUT');
  assert.equal(badOp.status, 400);
  assert.match(((await badOp.json()) as { RemoteException: { message: string } }).RemoteException.message, /No enum constant .*PutOpParam\.Op\.FROBNICATE/);
  assert.equal(await rawStatus(server.namenodePort, '/webhdfs/v1/a/../b?op=MKDIRS', 'PUT'), 400, 'no escape from the tree');
  assert.equal((await fetch(`http://127.0.0.1:${server.namenodePort}/other`)).status, 404);
  assert.throws(() => server.failNext('OPEN', 503, 'X'), /only with 400, 401, 403, 404 or 500/);
});

test('fault hooks: injected errors, and a namenode that refuses connections until it is back', async () => {
  server.failNext('LISTSTATUS', 500, 'RetriableException', { message: 'try again' });
  const failed = await fetch(`${nn}/?op=LISTSTATUS`);
  assert.equal(failed.status, 500);
  assert.equal(((await failed.json()) as { RemoteException: { exception: string } }).RemoteException.exception, 'RetriableException');
  assert.equal((await fetch(`${nn}/?op=LISTSTATUS`)).status, 200, 'only the next one');
  await server.namenodeDown(true);
  assert.equal(await rawStatus(server.namenodePort, '/webhdfs/v1/?op=LISTSTATUS'), 'ECONNREFUSED');
  await server.namenodeDown(false);
  assert.equal((await fetch(`${nn}/?op=LISTSTATUS`)).status, 200);
});
