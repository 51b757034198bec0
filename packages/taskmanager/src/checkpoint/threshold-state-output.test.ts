import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalFileSystem } from '@tsflink/fs';
import type { FileSystem } from '@tsflink/fs';
import { ThresholdStateOutput } from './threshold-state-output.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-threshold-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ThresholdStateOutput', () => {
  it('keeps small state inline as copies, so a writer may reuse its chunk buffers', async () => {
    const out = new ThresholdStateOutput(new LocalFileSystem(), join(dir, 'small'), 100);
    assert.equal(out.releasesChunks, true);
    const chunk = Buffer.from('first');
    await out.write(chunk);
    chunk.fill(0); // the writer reuses the buffer once the write settled
    await out.write(Buffer.from('second'));
    assert.deepEqual(await out.close(), Buffer.from('firstsecond'));
    assert.equal(out.position, 11);
  });

  it('moves to its file once past the threshold, with every byte in order', async () => {
    const path = join(dir, 'large');
    const out = new ThresholdStateOutput(new LocalFileSystem(), path, 10);
    const reused = Buffer.alloc(8);
    for (const text of ['aaaaaaaa', 'bbbbbbbb', 'cccccccc']) {
      reused.write(text);
      await out.write(reused);
    }
    assert.equal(await out.close(), undefined);
    assert.equal(readFileSync(path, 'utf8'), 'aaaaaaaabbbbbbbbcccccccc');
  });

  it('does not release chunks over an object store, which may still queue them after a write resolved', () => {
    const s3 = { scheme: 's3' } as FileSystem;
    assert.equal(new ThresholdStateOutput(s3, 's3://bucket/state', 10).releasesChunks, false);
  });

  it('without a file system keeps everything inline', async () => {
    const out = new ThresholdStateOutput(undefined, '', 10);
    const reused = Buffer.from('0123456789abcdef');
    await out.write(reused);
    reused.fill(0);
    assert.deepEqual(await out.close(), Buffer.from('0123456789abcdef'));
  });
});
