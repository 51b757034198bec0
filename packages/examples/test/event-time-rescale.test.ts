import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT } from '@tsflink/testing';
import { EVENT_TIME_ORACLE, eventTimeOracleEvent, verifyEventTimeOracleOutput } from '@tsflink/examples';
import type { OracleEvent } from '@tsflink/examples';
import { assertEventTimeOracleOutput, committedLines, pollUntil, savepointPathOf } from './cluster-support.js';

const ORACLE = join(REPO_ROOT, 'packages/examples/src/event-time-oracle.ts');
/** 60 000 events: 150 s at the throttled rate, so no throttled run can end before the test stops it. */
const N = 60_000;
const KEYS = 4;
const THROTTLED = '400';

/** Sorted distinct keys of the events given. */
const keysOf = (events: OracleEvent[]) => [...new Set(events.map((e) => e[0]))].sort();

/**
 * Events that the stopped runs surely read but whose tumbling window or timer
 * bucket had not fired: they were in the savepoint as open windows and pending
 * timers. Why: a committed line for a window (bucket) ending at E means a
 * watermark ≥ E - 1 passed, so the source had read an event with timestamp ≥
 * E + out-of-orderness, hence every index below (E + out-of-orderness -
 * max jitter + 1) / step (it reads in index order). Those with a timestamp ≥
 * the highest such E belong to windows (buckets) that had not fired.
 */
function openAtStop(committed: string[]): { inWindows: OracleEvent[]; inTimers: OracleEvent[] } {
  const { outOfOrdernessMs, maxJitterMs, stepMs, timerBucketMs } = EVENT_TIME_ORACLE;
  const pending = (ends: number[]) => {
    const fired = Math.max(...ends);
    const readBelow = Math.ceil((fired + outOfOrdernessMs - maxJitterMs + 1) / stepMs);
    return Array.from({ length: readBelow }, (_, i) => eventTimeOracleEvent(i, KEYS)).filter((e) => e[1] >= fired);
  };
  const fields = (kind: string) => committed.filter((l) => l.startsWith(`${kind},`)).map((l) => l.split(','));
  return {
    inWindows: pending(fields('tumble').map((f) => Number(f[3]))),
    inTimers: pending(fields('timer').map((f) => Number(f[2]) + timerBucketMs)),
  };
}

interface InspectedOperator { uid: string; parallelism: number; states: { name: string }[] }

describe('event-time oracle across savepoints and rescaling, with windows open and timers pending (real processes)', () => {
  let cluster: MiniCluster;
  const base = mkdtempSync(join(tmpdir(), 'tsflink-event-time-rescale-'));
  const savepoints = join(base, 'savepoints');
  before(async () => {
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, config: { 'execution.checkpointing.dir': `file://${base}/checkpoints` } });
  });
  after(async () => cluster?.close());

  const args = (out: string, rate: string) => [String(N), rate, String(KEYS), out, '250'];

  /** Waits until the output holds more committed window and timer lines than `before` (the run fired some). */
  const waitForNewFirings = (out: string, before: string[]) => pollUntil(() => {
    const lines = committedLines(out);
    const count = (kind: string, ls: string[]) => ls.filter((l) => l.startsWith(kind)).length;
    return count('tumble,', lines) > count('tumble,', before) && count('timer,', lines) > count('timer,', before) ? lines : undefined;
  }, () => `no new windows and timers committed in ${out}`);

  /** The savepoint's window and timer operators, at the parallelism of the run that took it, with their state. */
  const inspect = async (path: string, parallelism: number) => {
    const r = await cluster.runCli(['savepoint', '--inspect', path, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const operators = new Map((JSON.parse(r.stdout).operators as InspectedOperator[]).map((o) => [o.uid, o]));
    const states = (uid: string) => {
      assert.equal(operators.get(uid)?.parallelism, parallelism, uid);
      return operators.get(uid)!.states.map((s) => s.name);
    };
    assert.ok(states('tumbling-windows').includes('_window-contents'), 'tumbling window contents');
    assert.ok(states('bucket-timers').includes('bucket-counts'), 'the process function\'s map state');
    assert.ok(states('bucket-timers').some((s) => s.includes('user-timers')), 'the process function\'s timers');
    assert.ok(states('session-windows').includes('_merging-window-set'), 'the open sessions');
  };

  /** Stops the job with a savepoint (no drain) and checks that windows were open and timers pending in it. */
  const stopMidWindows = async (jobId: string, out: string, parallelism: number) => {
    const stop = await cluster.runCli(['stop', '-p', savepoints, jobId]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal((await cluster.waitForJob(jobId, 'FINISHED')).state, 'FINISHED');
    const path = savepointPathOf(stop.stdout);
    await inspect(path, parallelism);
    const committed = committedLines(out);
    const open = openAtStop(committed);
    assert.deepEqual(keysOf(open.inWindows), ['k0', 'k1', 'k2', 'k3'], 'every key had an open window with contents');
    assert.deepEqual(keysOf(open.inTimers), ['k0', 'k1', 'k2', 'k3'], 'every key had a pending timer with a count');
    const check = verifyEventTimeOracleOutput(committed, N, KEYS);
    assert.deepEqual(check.unexpected, [], 'nothing but expected lines so far');
    assert.ok(check.missing.length > 0, 'the run was stopped before the end');
    return { path, committed };
  };

  test('stop → run -s -p 3 → stop → run -s -p 1: the union of the committed output equals the failure-free output exactly', async () => {
    const out = join(base, 'out-stop');
    const first = await cluster.submit(ORACLE, args(out, THROTTLED), ['-p', '2']);
    await waitForNewFirings(out, []);
    const one = await stopMidWindows(first, out, 2);

    const second = await cluster.submit(ORACLE, args(out, THROTTLED), ['-s', one.path, '-p', '3']);
    // The second run fires windows and timers, among them the ones restored from the savepoint.
    await waitForNewFirings(out, one.committed);
    const two = await stopMidWindows(second, out, 3);

    const third = await cluster.submit(ORACLE, args(out, '0'), ['-s', two.path, '-p', '1']);
    const final = await cluster.waitForJob(third, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);
    assertEventTimeOracleOutput(out, N, KEYS);
  });

  test('cancel -s at p=2 → run -s -p 3: the union of the committed output equals the failure-free output exactly', async () => {
    const out = join(base, 'out-cancel');
    const first = await cluster.submit(ORACLE, args(out, THROTTLED), ['-p', '2']);
    await waitForNewFirings(out, []);
    const cancel = await cluster.runCli(['cancel', '-s', savepoints, first]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal((await cluster.waitForJob(first, 'CANCELED')).state, 'CANCELED');

    const second = await cluster.submit(ORACLE, args(out, '0'), ['-s', savepointPathOf(cancel.stdout), '-p', '3']);
    const final = await cluster.waitForJob(second, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);
    assertEventTimeOracleOutput(out, N, KEYS);
  });
});
