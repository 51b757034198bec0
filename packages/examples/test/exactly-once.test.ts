import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MiniCluster, REPO_ROOT } from '@tsflink/testing';
import { verifyOracleOutput } from '@tsflink/examples';
import { committedLines, random, startCrashTestCluster } from './cluster-support.js';

const ORACLE = join(REPO_ROOT, 'packages/examples/src/checkpoint-oracle.ts');

describe('exactly-once under TaskManager crashes (the checkpoint oracle, real processes, SIGKILL)', () => {
  let cluster: MiniCluster;
  const base = mkdtempSync(join(tmpdir(), 'tsflink-oracle-'));
  before(async () => {
    cluster = await startCrashTestCluster(base);
  });
  after(async () => cluster?.close());

  for (const seed of [1, 2]) {
    test(`random SIGKILLs (seed ${seed}): committed output equals the failure-free output exactly`, async () => {
      const rnd = random(seed);
      const n = 15000;
      const k = 16;
      const out = join(base, `out-${seed}`);
      const jobId = await cluster.submit(ORACLE, [String(n), '2000', '2', String(k), out, '250']);
      await cluster.waitForJob(jobId, 'RUNNING');
      const kills = 3;
      for (let i = 0; i < kills; i++) {
        await new Promise((r) => setTimeout(r, 400 + rnd() * 900));
        const status = await cluster.client.getJob(jobId);
        if (status.state === 'FINISHED') break;
        // A TaskManager that runs tasks of the job (the others are idle spares).
        const busy = [...new Set(status.vertices.flatMap((v) => v.subtasks.map((t) => t.task_manager_id)))]
          .map((id) => cluster.indexOfTaskManager(id)).filter((i) => i >= 0);
        const victim = busy.length > 0 ? busy[Math.floor(rnd() * busy.length)]! : Math.floor(rnd() * cluster.taskManagers.length);
        await cluster.killTaskManager(victim, 'SIGKILL');
        await cluster.startTaskManager();
      }
      const final = await cluster.waitForJob(jobId, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 120_000);
      assert.equal(final.state, 'FINISHED', final.failure?.message);
      assert.ok(final.restarts >= 1, 'the kills caused restarts');
      const result = verifyOracleOutput(committedLines(out), n, k);
      assert.deepEqual({ missing: result.missing.slice(0, 5), duplicated: result.duplicated.slice(0, 5), wrong: result.wrong.slice(0, 5), malformed: result.malformed.slice(0, 5) },
        { missing: [], duplicated: [], wrong: [], malformed: [] });
      assert.equal(result.ok, true);
    });
  }
});
