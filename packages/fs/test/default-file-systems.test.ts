/** The default registry: lazy remote file systems, loaded only when their scheme is used. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Configuration } from '@tsflink/core';
import { createDefaultFileSystemRegistry, LocalFileSystem, UnsupportedFileSystemSchemeError } from '../src/index.js';

const FS_INDEX = new URL('../src/index.ts', import.meta.url).href;
const CORE_INDEX = new URL('../../core/src/index.ts', import.meta.url).href;

test('file:// is served at once; unknown schemes are named with the supported ones', async () => {
  const registry = createDefaultFileSystemRegistry(new Configuration());
  assert.ok((await registry.get('/tmp/x')) instanceof LocalFileSystem);
  await assert.rejects(registry.get('gs://bucket/x'), (e: unknown) =>
    e instanceof UnsupportedFileSystemSchemeError && /scheme 'gs'.*Supported schemes: file, hdfs, s3, s3a, s3p, webhdfs\./.test(e.message));
});

test('the AWS SDK and the webhdfs package are imported only when an s3:// or hdfs:// path is used', async () => {
  // A child process whose module loader refuses the SDKs: using the registry for file:// must not
  // touch them, and using s3:// / hdfs:// must try to import exactly them.
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-lazy-'));
  const script = join(dir, 'lazy.mjs');
  writeFileSync(script, `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(\`
      export async function resolve(specifier, context, next) {
        if (/^(@aws-sdk\\\\/|webhdfs$)/.test(specifier)) throw new Error('refused to load ' + specifier);
        return next(specifier, context);
      }\`));
    const { createDefaultFileSystemRegistry } = await import(${JSON.stringify(FS_INDEX)});
    const { Configuration } = await import(${JSON.stringify(CORE_INDEX)});
    const registry = createDefaultFileSystemRegistry(new Configuration());
    const results = { file: String(await (await registry.get('file://${dir}')).exists('file://${dir}')) };
    for (const uri of ['s3://bucket/key', 'hdfs://namenode/path']) {
      try {
        await (await registry.get(uri)).exists(uri);
        results[uri] = 'no import attempted';
      } catch (error) {
        results[uri] = error.message;
      }
    }
    process.stdout.write(JSON.stringify(results));
  `);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', script], { timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout), {
      file: 'true',
      's3://bucket/key': 'refused to load @aws-sdk/client-s3',
      'hdfs://namenode/path': 'refused to load webhdfs',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
