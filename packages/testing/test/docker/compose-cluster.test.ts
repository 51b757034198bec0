/**
 * The compose cluster without Docker: docker/docker-entrypoint.sh started as
 * the compose file's jobmanager, two taskmanager replicas and the client, with
 * their environment and commands (see compose-emulation.ts for what stands in
 * for Docker). Savepoints and resuming: compose-savepoint.test.ts; more recovery
 * scenarios build on the same ComposeEmulation (`up()`, `run('client', ...)`,
 * `stateDir()` for the flink-state volume, `kill()` on a container).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeEmulation, CONTAINER_ADDRESS, type EmulatedContainer } from './compose-emulation.js';

let compose: ComposeEmulation;
let jobManager: EmulatedContainer;
const taskManagers: EmulatedContainer[] = [];
let jobId = '';

before(async () => { compose = await ComposeEmulation.create(); });
// Whatever happened, no daemon outlives the test.
after(async () => { await compose?.down(); });

/** `docker compose run --rm client <args>`, expecting exit 0. */
async function client(args?: string[]): Promise<string> {
  const r = await compose.run('client', args);
  assert.equal(r.code, 0, `client ${args?.join(' ') ?? ''} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Polls `client list` until the job shows in `state`. */
async function waitForListedState(id: string, state: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let out = '';
  while (Date.now() < deadline) {
    out = await client(['list']);
    if (out.includes(`: ${id} : `) && out.includes(`(${state})`)) return out;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Job ${id} not listed as ${state} within ${timeoutMs} ms; last listing:\n${out}`);
}

test('jobmanager: the health check fails before it is up and passes once REST /overview answers', async () => {
  assert.equal(await compose.healthcheck('jobmanager'), 1);
  jobManager = await compose.up('jobmanager');
  assert.equal(await compose.healthcheck('jobmanager'), 0);
  // The entrypoint exec'd node: the started process is the daemon (so tini's signals reach it).
  const cmdline = readFileSync(`/proc/${jobManager.pid}/cmdline`, 'utf8').split('\0');
  assert.ok(cmdline.some((a) => a.endsWith('packages/jobmanager/dist/main.js')), cmdline.join(' '));
  assert.ok(cmdline.includes('--foreground'));
  assert.ok(!cmdline.some((a) => a.endsWith('docker-entrypoint.sh')));
  // Logs: JSON lines on stdout (docker logs) and a file in FLINK_LOG_DIR.
  const ready = JSON.parse(await jobManager.waitForLine(/"ready":true/)) as { role: string };
  assert.equal(ready.role, 'standalonesession');
  assert.ok(readdirSync(jobManager.logDir).some((f) => /^flink-.*-standalonesession-0-.*\.log$/.test(f)));
});

test('two taskmanager replicas register: REST /overview reports 2 TaskManagers, each reachable at its own address', async () => {
  assert.ok(jobManager?.running, 'the JobManager runs');
  taskManagers.push(...await Promise.all([compose.up('taskmanager'), compose.up('taskmanager')]));
  await compose.waitForTaskManagers(2);
  const overview = await compose.rest<{ taskmanagers: number; 'slots-total': number }>('/overview');
  assert.equal(overview.taskmanagers, 2);
  assert.equal(overview['slots-total'], 4, 'taskmanager.numberOfTaskSlots: 2 from FLINK_PROPERTIES');
  const { taskmanagers } = await compose.rest<{ taskmanagers: Array<{ host: string; dataPort: string }> }>('/taskmanagers');
  // taskmanager.host came from the entrypoint (the container's address), so other TaskManagers can reach the data port.
  for (const tm of taskmanagers) {
    assert.equal(tm.host, CONTAINER_ADDRESS);
    assert.match(tm.dataPort, new RegExp(`^${CONTAINER_ADDRESS.replace(/\./g, '\\.')}:\\d+$`));
  }
  assert.notEqual(taskmanagers[0]!.dataPort, taskmanagers[1]!.dataPort);
});

test('client list (the client service\'s default command) prints Flink\'s empty listing', async () => {
  assert.equal(await client(), 'Waiting for response...\nNo running jobs.\nNo scheduled jobs.\n');
});

test('client run -d /jobs/app.ts submits the example job from the jobs volume; it runs across both TaskManagers', async () => {
  assert.ok(existsSync(compose.hostPath('client', '/jobs/app.ts')));
  const out = await client(['run', '-d', '-p', '4', '/jobs/app.ts', '50']);
  const m = /^Job has been submitted with JobID ([0-9a-f]{32})$/m.exec(out);
  assert.ok(m, out);
  jobId = m[1]!;
  const listing = await waitForListedState(jobId, 'RUNNING');
  assert.match(listing, new RegExp(`^Waiting for response...\\n------------------ Running/Restarting Jobs -------------------\\n\\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d:\\d\\d : ${jobId} : DockerExample \\(RUNNING\\)\\n`));
  const { jobs } = await compose.rest<{ jobs: Array<{ jid: string; state: string }> }>('/jobs/overview');
  assert.deepEqual(jobs.map((j) => [j.jid, j.state]), [[jobId, 'RUNNING']]);
  const overview = await compose.rest<{ 'slots-available': number }>('/overview');
  assert.equal(overview['slots-available'], 0, 'parallelism 4 takes both TaskManagers\' slots');
  // print() output reaches the TaskManagers' stdout (docker logs), with Flink's "n> " prefix.
  await Promise.any(taskManagers.map((tm) => tm.waitForLine(/^\d> \d:\d+$/, 20_000)));
});

test('SIGKILL of one TaskManager is noticed within seconds, and the job recovers once a replacement container starts', async () => {
  assert.equal(taskManagers.length, 2);
  const victim = taskManagers.shift()!;
  await victim.kill('SIGKILL');
  const tookMs = await compose.waitForTaskManagers(1, 10_000);
  assert.ok(tookMs < 10_000);
  assert.ok(jobManager.running, 'the JobManager keeps running');
  await jobManager.waitForLine(/TaskManager \S+ at 127\.0\.0\.1 is lost: its connection was closed\./, 5_000);
  // The job lost half its slots: checkpointing enables restarts, and the restart waits for 4 free slots.
  const listing = await waitForListedState(jobId, 'RESTARTING', 10_000);
  assert.match(listing, new RegExp(`${jobId} : DockerExample \\(RESTARTING\\)`));
  // `docker compose up -d --scale taskmanager=2` (or the restart policy) brings a TaskManager back: the job runs again.
  taskManagers.push(await compose.up('taskmanager'));
  await compose.waitForTaskManagers(2, 20_000);
  await waitForListedState(jobId, 'RUNNING', 30_000);
});

test('the state volume is the one configured for checkpoints and savepoints', async () => {
  const conf = readFileSync(join(jobManager.confDir, 'flink-conf.yaml'), 'utf8');
  assert.match(conf, new RegExp(`^execution\\.checkpointing\\.dir: file://${compose.stateDir()}/checkpoints$`, 'm'));
  assert.match(conf, new RegExp(`^execution\\.checkpointing\\.savepoint-dir: file://${compose.stateDir()}/savepoints$`, 'm'));
});

test('docker stop: SIGTERM (what tini forwards) stops a TaskManager and then the JobManager cleanly, within stop_grace_period', async () => {
  const grace = Number(/^(\d+)s$/.exec(compose.service('taskmanager').stop_grace_period ?? '10s')?.[1] ?? 10) * 1000;
  const tm = taskManagers.shift()!;
  const started = Date.now();
  tm.child.kill('SIGTERM');
  assert.deepEqual(await tm.exited, { code: 0, signal: null });
  assert.ok(Date.now() - started < grace, `stopped in ${Date.now() - started} ms`);
  await tm.waitForLine(/"msg":"Shutdown complete\."/, 1_000);
  await compose.waitForTaskManagers(taskManagers.length, 10_000);

  jobManager.child.kill('SIGTERM');
  assert.deepEqual(await jobManager.exited, { code: 0, signal: null });
  assert.equal(await compose.healthcheck('jobmanager'), 1, 'the health check fails once the JobManager is gone');
});
