/**
 * Savepoints through the compose setup without Docker (see compose-emulation.ts):
 * the README's savepoint / cancel -s / run -s commands through the client
 * service, the files on the flink-state volume, and a resume on a cluster of
 * fresh containers (as after `docker compose down` and `up`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComposeEmulation, type EmulatedContainer } from './compose-emulation.js';

let compose: ComposeEmulation;
let taskManagers: EmulatedContainer[] = [];

before(async () => { compose = await ComposeEmulation.create(); });
after(async () => { await compose?.down(); });

async function client(args: string[]): Promise<string> {
  const r = await compose.run('client', args);
  assert.equal(r.code, 0, `client ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function startCluster(): Promise<void> {
  await compose.up('jobmanager');
  taskManagers = await Promise.all([compose.up('taskmanager'), compose.up('taskmanager')]);
  await compose.waitForTaskManagers(2);
}

async function waitForState(jobId: string, state: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const { jobs } = await compose.rest<{ jobs: Array<{ jid: string; state: string }> }>('/jobs/overview');
    last = jobs.find((j) => j.jid === jobId)?.state ?? 'unknown';
    if (last === state) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Job ${jobId} did not reach ${state} within ${timeoutMs} ms (last: ${last}).`);
}

/** The `key:count` lines printed by the TaskManagers from output line `from[i]` on. */
function counts(from: number[] = []): Array<[number, number]> {
  return taskManagers.flatMap((tm, i) => tm.lines.slice(from[i] ?? 0))
    .map((l) => /^(?:\d+> )?(\d):(\d+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])]);
}

async function waitForCounts(n: number, from: number[] = [], timeoutMs = 20_000): Promise<Array<[number, number]>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const seen = counts(from);
    if (seen.length >= n) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Fewer than ${n} printed counts within ${timeoutMs} ms.`);
}

test('savepoint, cancel -s and run -s through the client service; state survives on the flink-state volume', async () => {
  await startCluster();
  const submitted = await client(['run', '-d', '-p', '2', '/jobs/app.ts', '100']);
  const jobId = /^Job has been submitted with JobID ([0-9a-f]{32})$/m.exec(submitted)?.[1];
  assert.ok(jobId, submitted);
  await waitForState(jobId, 'RUNNING');
  await waitForCounts(30);

  const savepoint = await client(['savepoint', jobId]);
  const savepointPath = /^Savepoint completed\. Path: (file:\S+)$/m.exec(savepoint)?.[1];
  assert.ok(savepointPath, savepoint);
  assert.match(savepoint, new RegExp(`^Triggering savepoint for job ${jobId}\\.\\n`));
  // On the shared volume, where every container (JobManager, TaskManagers, client) sees it.
  const savepointDir = fileURLToPath(savepointPath.replace(/^file:(?!\/\/)/, 'file://'));
  assert.ok(savepointDir.startsWith(join(compose.stateDir(), 'savepoints')), savepointDir);
  assert.ok(existsSync(join(savepointDir, '_metadata')));

  const cancel = await client(['cancel', '-s', jobId]);
  const finalPath = /^Cancelled job [0-9a-f]{32}\. Savepoint stored in (file:\S+)\.$/m.exec(cancel)?.[1];
  assert.ok(finalPath, cancel);
  await waitForState(jobId, 'CANCELED');
  const before = counts();
  const maxBefore = new Map<number, number>();
  for (const [k, c] of before) maxBefore.set(k, Math.max(maxBefore.get(k) ?? 0, c));

  // `docker compose down` and `up` again: fresh containers, the same volume.
  await Promise.all([...compose.containers.filter((c) => c.running).map((c) => c.kill('SIGTERM'))]);
  await startCluster();
  const resumed = await client(['run', '-d', '-s', finalPath, '/jobs/app.ts', '100']);
  const resumedId = /^Job has been submitted with JobID ([0-9a-f]{32})$/m.exec(resumed)?.[1];
  assert.ok(resumedId, resumed);
  assert.notEqual(resumedId, jobId);
  await waitForState(resumedId, 'RUNNING');
  // The counts go on from the savepoint's: no key starts again at 1, and each key's first
  // count follows a state no later than the last count printed before the cancel.
  const after = await waitForCounts(20);
  const first = new Map<number, number>();
  for (const [k, c] of after) if (!first.has(k)) first.set(k, c);
  for (const [k, c] of first) {
    assert.ok(c > 1, `key ${k} restarted its count at ${c}`);
    assert.ok(c <= (maxBefore.get(k) ?? 0) + 1, `key ${k}: first count ${c} after the resume, last ${maxBefore.get(k)} before the cancel`);
  }
});
