/**
 * docker/docker-compose.yml: validated by Debian's docker-compose (v1), which
 * CI installs (.ci/run), and checked for the structure the Docker setup relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@tsflink/testing';
import {
  COMPOSE_FILE, DOCKER_DIR, flinkProperties, parseYaml, publishedPorts, readComposeFile, serviceEnvironment, volumeMounts,
} from './docker-files.js';

const TSFLINK_SERVICES = ['jobmanager', 'taskmanager', 'client'];

/** Runs docker-compose (v1) with a clean environment, so no stray COMPOSE_* or TSFLINK_* variable changes the result. */
function dockerCompose(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return spawnSync('docker-compose', ['-f', COMPOSE_FILE, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

function requireDockerCompose(): void {
  const found = spawnSync('sh', ['-c', 'command -v docker-compose'], { encoding: 'utf8' });
  assert.equal(found.status, 0,
    'docker-compose is not installed, so docker/docker-compose.yml cannot be validated. Install it with ' +
    '`apt-get install -y --no-install-recommends docker-compose` (CI installs it in .ci/run).');
}

test('docker-compose (v1) validates the compose file: default services', () => {
  requireDockerCompose();
  const r = dockerCompose(['config', '-q']);
  assert.equal(r.status, 0, `docker-compose config -q failed:\n${r.stderr}`);
  // v1 lists the services of every profile here; which profile each belongs to is checked below.
  const services = dockerCompose(['config', '--services']);
  assert.equal(services.status, 0, services.stderr);
  assert.deepEqual(services.stdout.trim().split('\n').sort(), ['client', 'jobmanager', 'minio', 'minio-init', 'taskmanager']);
});

test('docker-compose (v1) validates the compose file with the s3 and client profiles and docker/s3.env', () => {
  requireDockerCompose();
  const args = ['--env-file', join(DOCKER_DIR, 's3.env'), '--profile', 's3', '--profile', 'client'];
  const r = dockerCompose([...args, 'config', '-q']);
  assert.equal(r.status, 0, `docker-compose --profile s3 config -q failed:\n${r.stderr}`);
  // The resolved file points checkpoints and savepoints at the bucket.
  const resolved = dockerCompose([...args, 'config']);
  assert.equal(resolved.status, 0, resolved.stderr);
  const doc = parseYaml(resolved.stdout) as { services: Record<string, { environment: Record<string, string> }> };
  const props = flinkProperties(doc.services.taskmanager!.environment.FLINK_PROPERTIES!);
  assert.equal(props.get('execution.checkpointing.dir'), 's3://tsflink/checkpoints');
  assert.equal(props.get('execution.checkpointing.savepoint-dir'), 's3://tsflink/savepoints');
  assert.equal(props.get('s3.endpoint'), 'http://minio:9000');
});

test('no keys that only Compose v2 accepts', () => {
  const raw = parseYaml(readFileSync(COMPOSE_FILE, 'utf8')) as Record<string, unknown>;
  assert.equal(raw.name, undefined, 'top-level name: is v2-only');
  assert.match(String(raw.version), /^3\.\d+$/);
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  assert.doesNotMatch(text, /start_interval/);
});

test('the services the Docker setup relies on', () => {
  const compose = readComposeFile();
  const conf = flinkProperties(readFileSync(join(REPO_ROOT, 'conf/flink-conf.yaml'), 'utf8'));

  // jobmanager: RPC and REST published on the ports the configuration uses, health check on REST /overview.
  const jm = compose.services.jobmanager!;
  assert.deepEqual(jm.command, ['jobmanager']);
  assert.deepEqual(publishedPorts(jm), [{ published: 6123, target: 6123 }, { published: 8081, target: 8081 }]);
  assert.equal(conf.get('jobmanager.rpc.port'), '6123');
  assert.equal(conf.get('rest.port'), '8081');
  assert.ok(jm.healthcheck, 'jobmanager has a healthcheck');
  assert.match(JSON.stringify(jm.healthcheck.test), /\/overview/);
  assert.doesNotMatch(JSON.stringify(jm.healthcheck.test), /curl|wget/, 'the slim image has neither curl nor wget');

  // taskmanager: scalable (no fixed name, no published ports), waits for a healthy JobManager.
  const tm = compose.services.taskmanager!;
  assert.deepEqual(tm.command, ['taskmanager']);
  assert.equal(tm.container_name, undefined);
  assert.equal(tm.ports, undefined);
  assert.deepEqual(tm.depends_on, { jobmanager: { condition: 'service_healthy' } });
  assert.equal(tm.deploy?.replicas, 2);
  assert.equal(flinkProperties(serviceEnvironment(tm).FLINK_PROPERTIES ?? '').get('taskmanager.data.port'), '6121');

  // client: the flink CLI under the client profile, job files from ./jobs at /jobs.
  const client = compose.services.client!;
  assert.deepEqual(client.profiles, ['client']);
  assert.deepEqual((client.entrypoint as string[]).slice(-1), ['client']);
  assert.deepEqual(client.command, ['list']);
  assert.ok(volumeMounts(client).some((m) => m.source === './jobs' && m.target === '/jobs'));
  assert.ok(existsSync(join(DOCKER_DIR, 'jobs', 'app.ts')), 'the example job of the README is in docker/jobs/');

  for (const name of TSFLINK_SERVICES) {
    const s = compose.services[name]!;
    assert.equal(s.image, 'tsflink:local', name);
    assert.deepEqual(s.build, { context: '..', dockerfile: 'docker/Dockerfile' }, name);
    assert.ok(s.restart, `${name} has a restart policy`);
    const env = serviceEnvironment(s);
    assert.equal(env.JOB_MANAGER_RPC_ADDRESS, 'jobmanager', name);
    // The same state volume at the same path everywhere, where the configuration puts checkpoints and savepoints.
    assert.ok(volumeMounts(s).some((m) => m.source === 'flink-state' && m.target === '/tmp/flink-backend'), `${name} mounts flink-state`);
    const props = flinkProperties(env.FLINK_PROPERTIES ?? '');
    assert.equal(props.get('execution.checkpointing.dir'), 'file:///tmp/flink-backend/checkpoints', name);
    assert.equal(props.get('execution.checkpointing.savepoint-dir'), 'file:///tmp/flink-backend/savepoints', name);
  }
  assert.match(conf.get('execution.checkpointing.dir') ?? '', /^file:\/\/\/tmp\/flink-backend\//);
  assert.ok(compose.volumes && 'flink-state' in compose.volumes);

  // s3 profile: MinIO, a bucket-creating step, nothing of it in the default profile.
  for (const name of ['minio', 'minio-init']) assert.deepEqual(compose.services[name]!.profiles, ['s3'], name);
  assert.deepEqual(compose.services['minio-init']!.depends_on, { minio: { condition: 'service_healthy' } });
  assert.match(JSON.stringify(compose.services['minio-init']!.command), /mc mb --ignore-existing/);
});

test('docker/s3.env points the state at the bucket minio-init creates, in the same Compose project', () => {
  const env = Object.fromEntries(readFileSync(join(DOCKER_DIR, 's3.env'), 'utf8').split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(env.TSFLINK_STATE_DIR, `s3://${env.TSFLINK_BUCKET}`);
  assert.equal(env.COMPOSE_PROFILES, 's3');
  const defaults = readFileSync(join(DOCKER_DIR, '.env'), 'utf8');
  assert.match(defaults, new RegExp(`^COMPOSE_PROJECT_NAME=${env.COMPOSE_PROJECT_NAME}$`, 'm'));
});

test('the "Run with Docker" documentation names files and services that exist', () => {
  // The section lives in README.md once pasted there, in docker/README-section.md until then.
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Run with Docker');
  const end = readme.indexOf('\n## ', start + 1);
  const doc = start < 0 ? readFileSync(join(DOCKER_DIR, 'README-section.md'), 'utf8') : readme.slice(start, end < 0 ? undefined : end);
  const compose = readComposeFile();
  const commands = [...doc.matchAll(/^docker compose (.*)$/gm)].map((m) => m[1]!.replace(/\s+#.*$/, ''));
  assert.ok(commands.length >= 8, `${commands.length} docker compose commands`);
  for (const c of commands) {
    for (const m of c.matchAll(/(?:^-f|--env-file) (\S+)/g)) assert.ok(existsSync(join(REPO_ROOT, m[1]!)), `${m[1]} exists (${c})`);
    const run = /\brun --rm (\S+)/.exec(c);
    if (run) assert.ok(compose.services[run[1]!], `service ${run[1]} exists (${c})`);
    for (const m of c.matchAll(/ \/jobs\/(\S+)/g)) assert.ok(existsSync(join(DOCKER_DIR, 'jobs', m[1]!)), `/jobs/${m[1]} is in docker/jobs (${c})`);
    for (const m of c.matchAll(/--profile (\S+)/g)) {
      assert.ok(Object.values(compose.services).some((s) => s.profiles?.includes(m[1]!)), `profile ${m[1]} exists (${c})`);
    }
  }
  assert.ok(commands.some((c) => /up -d --scale taskmanager=3$/.test(c)));
  assert.ok(commands.some((c) => c.endsWith('run --rm client run -d /jobs/app.ts')));
});
