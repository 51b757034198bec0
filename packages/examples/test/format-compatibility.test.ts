import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT } from '@tsflink/testing';
import { verifyOracleOutput } from '@tsflink/examples';
import { committedLines } from './cluster-support.js';

/** Savepoints written by earlier versions, checked in (see each fixture's README.md). */
const FIXTURES = ['format-v1', 'format-v2', 'format-v3'].map((name) => ({ name, dir: join(REPO_ROOT, 'packages/examples/test/fixtures', name) }));
const ORACLE = join(REPO_ROOT, 'packages/examples/src/checkpoint-oracle.ts');

let cluster: MiniCluster;
const checkpoints = mkdtempSync(join(tmpdir(), 'tsflink-format-chk-'));
before(async () => { cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2, config: { 'execution.checkpointing.dir': `file://${checkpoints}` } }); });
after(async () => cluster?.close());

for (const fixture of FIXTURES) {
  test(`a savepoint of the checked-in ${fixture.name} fixture (moved and renamed) still restores exactly`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'tsflink-format-'));
    const savepoint = join(work, 'any-name');
    cpSync(join(fixture.dir, 'savepoint'), savepoint, { recursive: true });
    const out = join(work, 'out');
    cpSync(join(fixture.dir, 'output'), out, { recursive: true });
    const before = readdirSync(out).length;

    const inspect = await cluster.runCli(['savepoint', '--inspect', savepoint, '--json']);
    assert.equal(inspect.code, 0, inspect.stderr);
    const info = JSON.parse(inspect.stdout);
    assert.equal(info.format_version, 1, 'the _metadata format (state files carry their own versions)');
    assert.ok(info.operators.some((o: { subtasks: Array<{ files: string[] }> }) => o.subtasks.some((s) => s.files.some((f) => f.startsWith(`file:${savepoint}/op-`)))),
      'file-backed state resolves inside the relocated savepoint');

    const jobId = await cluster.submit(ORACLE, ['24000', '0', '2', '6000', out, '200'], ['-s', savepoint]);
    const final = await cluster.waitForJob(jobId, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 120_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);
    assert.ok(readdirSync(out).length > before, 'the restored job wrote more output');
    const lines = committedLines(out);
    const result = verifyOracleOutput(lines, 24000, 6000);
    assert.deepEqual({ missing: result.missing.length, duplicated: result.duplicated.length, wrong: result.wrong.slice(0, 3) }, { missing: 0, duplicated: 0, wrong: [] });
  });
}
