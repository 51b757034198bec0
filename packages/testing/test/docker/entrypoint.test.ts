/**
 * docker/docker-entrypoint.sh on its own: the configuration it prepares and the
 * command it execs, with a stand-in for node (NODE) that reports what it got.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@tsflink/testing';
import { ENTRYPOINT_SCRIPT, parseYaml } from './docker-files.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflink-entrypoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for node: prints its pid, its arguments (one per line) and the environment the entrypoint set. */
const FAKE_NODE = join(dir, 'fake-node');
writeFileSync(FAKE_NODE, [
  '#!/usr/bin/env bash',
  'echo "pid=$$"',
  'for a in "$@"; do echo "arg=$a"; done',
  'echo "FLINK_CONF_DIR=$FLINK_CONF_DIR"',
  'echo "FLINK_LOG_DIR=$FLINK_LOG_DIR"',
  '',
].join('\n'));
chmodSync(FAKE_NODE, 0o755);

/** A read-only configuration directory, as a mounted ConfigMap or `:ro` volume would be. */
const SOURCE_CONF = join(dir, 'mounted-conf');
mkdirSync(SOURCE_CONF);
copyFileSync(join(REPO_ROOT, 'conf/flink-conf.yaml'), join(SOURCE_CONF, 'flink-conf.yaml'));
copyFileSync(join(REPO_ROOT, 'conf/workers'), join(SOURCE_CONF, 'workers'));
chmodSync(join(SOURCE_CONF, 'flink-conf.yaml'), 0o444);
const SOURCE_TEXT = readFileSync(join(SOURCE_CONF, 'flink-conf.yaml'), 'utf8');

let runs = 0;
interface EntrypointRun { code: number | null; pid: number; stdout: string; stderr: string; args: string[]; env: Record<string, string>; confDir: string; conf: () => Record<string, string> }

function entrypoint(args: string[], env: Record<string, string> = {}): EntrypointRun {
  const confDir = join(dir, `runtime-conf-${++runs}`);
  const r = spawnSync(ENTRYPOINT_SCRIPT, args, {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      FLINK_HOME: REPO_ROOT,
      FLINK_CONF_DIR: SOURCE_CONF,
      FLINK_LOG_DIR: join(dir, 'log'),
      TSFLINK_RUNTIME_CONF_DIR: confDir,
      NODE: FAKE_NODE,
      ...env,
    },
  });
  const lines = r.stdout.split('\n');
  const reported = Object.fromEntries(lines.filter((l) => /^FLINK_[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    code: r.status,
    pid: r.pid ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    args: lines.filter((l) => l.startsWith('arg=')).map((l) => l.slice(4)),
    env: reported,
    confDir,
    conf: () => {
      const text = readFileSync(join(confDir, 'flink-conf.yaml'), 'utf8');
      // Valid YAML (no repeated keys), as the daemons' loader reads it first.
      const parsed = parseYaml(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    },
  };
}

test('help (and no argument) prints the usage', () => {
  for (const args of [['help'], []]) {
    const r = entrypoint(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: docker-entrypoint\.sh \(jobmanager\|taskmanager\) \[-D key=value \.\.\.\]\n/);
    assert.match(r.stdout, /client <flink CLI arguments>/);
    assert.match(r.stdout, /FLINK_PROPERTIES/);
  }
});

test('jobmanager: execs node on the JobManager in the foreground with a prepared copy of the configuration', () => {
  const r = entrypoint(['jobmanager', '-D', 'parallelism.default=3'], {
    JOB_MANAGER_RPC_ADDRESS: 'jobmanager',
    FLINK_PROPERTIES: 'rest.port: 18081\njobmanager.rpc.address: from-properties\n# a comment\nexecution.checkpointing.dir: s3://bucket/checkpoints',
  });
  assert.equal(r.code, 0, r.stderr);
  // exec: the process that ran is the one the entrypoint started (tini signals reach node).
  assert.match(r.stdout, new RegExp(`^pid=${r.pid}\\n`));
  assert.deepEqual(r.args, [join(REPO_ROOT, 'packages/jobmanager/dist/main.js'), '--configDir', r.confDir, '--foreground', '-D', 'parallelism.default=3']);
  assert.equal(r.env.FLINK_CONF_DIR, r.confDir);
  assert.equal(r.env.FLINK_LOG_DIR, join(dir, 'log'));
  const conf = r.conf();
  // FLINK_PROPERTIES comes last and wins over JOB_MANAGER_RPC_ADDRESS and the file.
  assert.equal(conf['jobmanager.rpc.address'], 'from-properties');
  assert.equal(conf['rest.port'], '18081');
  assert.equal(conf['execution.checkpointing.dir'], 's3://bucket/checkpoints');
  assert.equal(conf['jobmanager.bind-host'], '0.0.0.0');
  assert.equal(conf['jobmanager.rpc.port'], '6123', 'the rest of the mounted file is kept');
  assert.equal(readFileSync(join(SOURCE_CONF, 'flink-conf.yaml'), 'utf8'), SOURCE_TEXT, 'the mounted configuration is not modified');
  assert.ok(existsSync(join(r.confDir, 'workers')), 'the whole directory is copied');
});

test('jobmanager: JOB_MANAGER_RPC_ADDRESS sets the address; a configured bind-host is kept', () => {
  const r = entrypoint(['jobmanager'], { JOB_MANAGER_RPC_ADDRESS: 'jm.example', FLINK_PROPERTIES: 'jobmanager.bind-host: 10.1.2.3' });
  assert.equal(r.code, 0, r.stderr);
  const conf = r.conf();
  assert.equal(conf['jobmanager.rpc.address'], 'jm.example');
  assert.equal(conf['jobmanager.bind-host'], '10.1.2.3');
});

test('taskmanager: taskmanager.host is TASK_MANAGER_HOST, else the container\'s own address', () => {
  const given = entrypoint(['taskmanager'], { TASK_MANAGER_HOST: '10.0.0.7', TASK_MANAGER_NUMBER_OF_TASK_SLOTS: '4' });
  assert.equal(given.code, 0, given.stderr);
  assert.equal(given.args[0], join(REPO_ROOT, 'packages/taskmanager/dist/main.js'));
  assert.ok(given.args.includes('--foreground'));
  assert.equal(given.conf()['taskmanager.host'], '10.0.0.7');
  assert.equal(given.conf()['taskmanager.numberOfTaskSlots'], '4');
  assert.equal(given.conf()['jobmanager.bind-host'], undefined, 'bind-host is the JobManager\'s business');

  const own = entrypoint(['taskmanager']);
  assert.equal(own.code, 0, own.stderr);
  const hostnameI = spawnSync('hostname', ['-i'], { encoding: 'utf8' });
  const expected = hostnameI.status === 0 && hostnameI.stdout.trim() ? hostnameI.stdout.trim().split(/\s+/)[0] : spawnSync('hostname', { encoding: 'utf8' }).stdout.trim();
  assert.equal(own.conf()['taskmanager.host'], expected);
});

test('client: runs the flink CLI with the arguments as given and the prepared configuration', () => {
  const r = entrypoint(['client', 'run', '-d', '/jobs/app.ts', 'arg 1'], { JOB_MANAGER_RPC_ADDRESS: 'jobmanager' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.args, [join(REPO_ROOT, 'packages/cli/dist/main.js'), 'run', '-d', '/jobs/app.ts', 'arg 1']);
  assert.equal(r.env.FLINK_CONF_DIR, r.confDir, 'the CLI reads the prepared configuration through FLINK_CONF_DIR');
  assert.equal(r.conf()['jobmanager.rpc.address'], 'jobmanager');
});

test('FLINK_PROPERTIES with keys the file already has leaves one of each; without it the file is copied as is', () => {
  const r = entrypoint(['client', 'list'], { FLINK_PROPERTIES: 'taskmanager.numberOfTaskSlots: 8\nparallelism.default: 2\n' });
  const text = readFileSync(join(r.confDir, 'flink-conf.yaml'), 'utf8');
  assert.equal(text.match(/^taskmanager\.numberOfTaskSlots:/gm)?.length, 1);
  assert.equal(text.match(/^parallelism\.default:/gm)?.length, 1);
  assert.match(text, /taskmanager\.numberOfTaskSlots: 8\nparallelism\.default: 2\n$/);

  const plain = entrypoint(['client', 'list']);
  assert.equal(readFileSync(join(plain.confDir, 'flink-conf.yaml'), 'utf8'), SOURCE_TEXT);
});

test('another command is run as is; a missing build or configuration is one clear error', () => {
  const echo = entrypoint(['echo', 'hello', 'world']);
  assert.equal(echo.code, 0);
  assert.equal(echo.stdout, 'hello world\n');

  const unbuilt = entrypoint(['taskmanager'], { FLINK_HOME: join(dir, 'empty-home') });
  assert.equal(unbuilt.code, 1);
  assert.match(unbuilt.stderr, /empty-home\/packages\/taskmanager\/dist\/main\.js does not exist: build tsflink first/);

  const noConf = entrypoint(['jobmanager'], { FLINK_CONF_DIR: join(dir, 'no-such-conf') });
  assert.equal(noConf.code, 1);
  assert.match(noConf.stderr, /the configuration directory .*no-such-conf does not exist \(FLINK_CONF_DIR\)/);
});
