import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTS_DIR, freePort, writeConf } from '@tsflink/testing';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-scripts-'));
after(() => {
  // Whatever happened, leave no daemons behind.
  spawnSync('bash', [join(SCRIPTS_DIR, 'stop-cluster.sh')], { env: envFor() });
  rmSync(dir, { recursive: true, force: true });
});

function envFor(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FLINK_CONF_DIR: join(dir, 'conf'),
    FLINK_LOG_DIR: join(dir, 'log'),
    FLINK_PID_DIR: join(dir, 'pid'),
  };
}

function run(script: string, ...args: string[]) {
  const r = spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], { env: envFor(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function pids(daemon: string): number[] {
  const file = join(dir, 'pid', `flink-${process.env.USER ?? 'root'}-${daemon}.pid`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

test('start-cluster.sh, taskmanager.sh start (a second one), flink list, stop-cluster.sh', async () => {
  const rpcPort = await freePort();
  const restPort = await freePort();
  writeConf(join(dir, 'conf'), { 'jobmanager.rpc.address': 'localhost', 'jobmanager.rpc.port': rpcPort, 'rest.port': restPort, 'taskmanager.numberOfTaskSlots': 2 });
  writeFileSync(join(dir, 'conf', 'workers'), 'localhost\n');

  const start = run('start-cluster.sh');
  assert.equal(start.code, 0, start.stderr);
  assert.match(start.stdout, /Starting standalonesession daemon on host/);
  assert.match(start.stdout, /Starting taskexecutor daemon on host/);
  assert.equal(pids('standalonesession').length, 1);
  assert.equal(pids('taskexecutor').length, 1);

  const second = run('taskmanager.sh', 'start');
  assert.equal(second.code, 0, second.stderr);
  assert.equal(pids('taskexecutor').length, 2);

  // Both TaskManagers register (no port clashes), visible through REST.
  let tms = 0;
  for (let i = 0; i < 100 && tms < 2; i++) {
    const res = await fetch(`http://localhost:${restPort}/taskmanagers`).then((r) => r.json()) as { taskmanagers: unknown[] };
    tms = res.taskmanagers.length;
    if (tms < 2) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(tms, 2);

  const list = run('flink', 'list');
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout, 'Waiting for response...\nNo running jobs.\nNo scheduled jobs.\n');

  // Logs are JSON lines in FLINK_LOG_DIR, one file per daemon instance.
  const logs = readdirSync(join(dir, 'log')).filter((f) => f.endsWith('.log'));
  assert.equal(logs.filter((f) => f.includes('-taskexecutor-')).length, 2);
  assert.equal(logs.filter((f) => f.includes('-standalonesession-')).length, 1);
  const firstLine = readFileSync(join(dir, 'log', logs.find((f) => f.includes('standalonesession'))!), 'utf8').split('\n')[0]!;
  assert.equal(JSON.parse(firstLine).role, 'standalonesession');

  const all = [...pids('standalonesession'), ...pids('taskexecutor')];
  const stop = run('stop-cluster.sh');
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /Stopping taskexecutor daemon/);
  assert.match(stop.stdout, /Stopping standalonesession daemon/);
  for (const pid of all) assert.equal(alive(pid), false, `pid ${pid} still running`);
  assert.deepEqual(pids('taskexecutor'), []);
});

test('jobmanager.sh start fails with the reason when the configuration is invalid', () => {
  writeConf(join(dir, 'conf'), { 'jobmanager.rpc.port': 'not-a-port', 'taskmanager.numberOfTaskSlots': 0 });
  const r = run('jobmanager.sh', 'start');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /jobmanager\.rpc\.port/);
  assert.match(r.stderr, /not-a-port/);
  assert.match(r.stderr, /taskmanager\.numberOfTaskSlots/);
  assert.deepEqual(pids('standalonesession'), []);
});
