import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFileSystem } from '../src/index.js';
import { fileSystemContract } from './file-system-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-fs-contract-'));

fileSystemContract(
  'LocalFileSystem',
  { invisibleUntilClose: false, implicitDirectories: false },
  async () => ({ fs: new LocalFileSystem(), base: `file://${dir}` }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

test('the contract runs against file:// (the scheme plain paths resolve to)', () => {
  assert.equal(new LocalFileSystem().scheme, 'file');
});
