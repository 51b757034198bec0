import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@tsflink/testing';
import type { MiniCluster } from '@tsflink/testing';
import { EVENT_TIME_ORACLE } from '@tsflink/examples';
import {
  assertEventTimeOracleOutput, committedLines, killTaskManagerOfJob, nextCheckpointEvent, pollUntil, random, startCrashTestCluster, waitForAllSubtasksRunning,
} from './cluster-support.js';

const ORACLE = join(REPO_ROOT, 'packages/examples/src/event-time-oracle.ts');

/**
 * When a kill lands: after a random pause; right after the JobManager triggered
 * a checkpoint (barriers in flight, snapshots being written); or right after it
 * completed one (the FileSink's commit on notifyCheckpointComplete may not have
 * run yet, so the restore must commit those files).
 */
const MOMENTS = ['random', 'during-checkpoint', 'after-checkpoint'] as const;

/** How far the committed output got: the end of its latest tumbling window (0 before the first). */
function committedEventTime(out: string): number {
  return committedLines(out).reduce((max, l) => (l.startsWith('tumble,') ? Math.max(max, Number(l.split(',')[3])) : max), 0);
}

describe('event-time windows and timers under TaskManager SIGKILLs (the event-time oracle, real processes)', () => {
  let cluster: MiniCluster;
  const base = mkdtempSync(join(tmpdir(), 'tsflink-event-time-crash-'));
  before(async () => { cluster = await startCrashTestCluster(base); });
  after(async () => cluster?.close());

  for (const seed of [3, 8]) {
    test(`three SIGKILLs at seeded moments (seed ${seed}): committed windows, timers and sessions equal the failure-free output exactly`, async () => {
      const rnd = random(seed);
      // 15 000 events at 1200/s: at least 12.5 s of reading. The kills come once the committed output reached
      // 10 %, 25 % and 40 % of the event time, so each restores from a checkpoint of a running execution that
      // made progress, and the job is surely still running at the last one (60 % of the input, 7.5 s, is left).
      const n = 15_000;
      const keys = 4;
      const out = join(base, `out-${seed}`);
      const jobId = await cluster.submit(ORACLE, [String(n), '1200', String(keys), out, '250'], ['-p', '2']);
      const first = Math.floor(rnd() * MOMENTS.length);
      const moments = MOMENTS.map((_, i) => MOMENTS[(first + i) % MOMENTS.length]!);
      for (const [i, moment] of moments.entries()) {
        const progress = [0.1, 0.25, 0.4][i]! * n * EVENT_TIME_ORACLE.stepMs;
        await pollUntil(() => (committedEventTime(out) >= progress ? true : undefined), () => `committed output of ${out} did not reach event time ${progress}`);
        await waitForAllSubtasksRunning(cluster, jobId);
        await new Promise((r) => setTimeout(r, rnd() * 400));
        if (moment === 'during-checkpoint') await nextCheckpointEvent(cluster, jobId, 'Triggering');
        if (moment === 'after-checkpoint') await nextCheckpointEvent(cluster, jobId, 'Completed');
        await killTaskManagerOfJob(cluster, jobId, rnd);
      }
      const final = await cluster.waitForJob(jobId, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
      assert.equal(final.state, 'FINISHED', final.failure?.message);
      assert.ok(final.restarts >= moments.length, `each kill caused a restart (restarts: ${final.restarts})`);
      assertEventTimeOracleOutput(out, n, keys);
    });
  }
});
