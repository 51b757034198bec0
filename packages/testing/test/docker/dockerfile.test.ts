/**
 * docker/Dockerfile, read without Docker: base image, stages, COPY sources,
 * user, tini, the entrypoint script and the pinned pnpm.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@tsflink/testing';
import {
  DOCKER_DIR, ENTRYPOINT_SCRIPT, execForm, flinkProperties, lastOf, parseCopy, readComposeFile, readDockerfile, serviceEnvironment,
  stageVariables, type DockerStage,
} from './docker-files.js';

const stages = readDockerfile();
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build');

function runs(stage: DockerStage): string {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
}

/** Patterns of docker/Dockerfile.dockerignore (the BuildKit per-Dockerfile ignore file). */
function ignorePatterns(): string[] {
  return readFileSync(join(DOCKER_DIR, 'Dockerfile.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

test('multi-stage on node:20-bookworm-slim: a build stage and a runtime stage', () => {
  assert.ok(stages.length >= 2, 'at least two stages');
  assert.ok(build, 'a stage named build');
  for (const s of stages) assert.match(s.from, /^node:20(\b|-)/, `FROM ${s.from}`);
  assert.equal(runtime.from, 'node:20-bookworm-slim');
  assert.notEqual(runtime, build);
});

test('the build stage installs the pinned pnpm, installs from the lockfile, builds, and keeps production dependencies only', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { packageManager: string };
  const pinned = /^pnpm@(\d+\.\d+\.\d+)$/.exec(pkg.packageManager)?.[1];
  assert.ok(pinned, `package.json packageManager is pnpm@x.y.z: ${pkg.packageManager}`);
  const { args } = stageVariables(build!);
  const script = runs(build!);
  const install = /npm i(?:nstall)? -g "?pnpm@([^"\s]+)"?/.exec(script);
  assert.ok(install, 'pnpm is installed with npm i -g');
  const version = install[1]!.replace(/^\$\{?([A-Z_]+)\}?$/, (_, name: string) => args.get(name) ?? `unset ${name}`);
  assert.equal(version, pinned, 'the Dockerfile pins the pnpm of package.json\'s packageManager');
  assert.match(script, /pnpm install --frozen-lockfile/);
  assert.match(script, /pnpm build/);
  assert.match(script, /pnpm install --frozen-lockfile[^\n&]*--prod/);
  assert.doesNotMatch(`${script}\n${runs(runtime)}`, /pnpm deploy/);
});

test('every COPY source exists in the repository and is not excluded from the build context', () => {
  const ignored = ignorePatterns().map((p) => p.replace(/^\*\*\//, '').replace(/\/$/, ''));
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  let checked = 0;
  for (const stage of stages) {
    for (const i of stage.instructions.filter((x) => x.keyword === 'COPY' || x.keyword === 'ADD')) {
      const copy = parseCopy(i);
      if (copy.from !== undefined) {
        assert.ok(stageNames.has(copy.from), `line ${copy.line}: COPY --from=${copy.from} names a stage`);
        continue;
      }
      for (const source of copy.sources) {
        const path = join(REPO_ROOT, source);
        assert.ok(existsSync(path), `line ${copy.line}: COPY source ${source} does not exist in the repository`);
        const rel = relative(REPO_ROOT, path);
        for (const pattern of ignored) {
          const hit = rel === pattern || rel.startsWith(`${pattern}/`) || rel.split('/').includes(pattern);
          assert.ok(!hit, `line ${copy.line}: COPY source ${source} is excluded by Dockerfile.dockerignore (${pattern})`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked >= 5, `checked ${checked} COPY sources`);
});

test('the build context leaves out local installs and build output', () => {
  const patterns = ignorePatterns();
  for (const p of ['**/node_modules', '**/dist', '.git']) assert.ok(patterns.includes(p), `Dockerfile.dockerignore lists ${p}`);
});

test('the runtime stage: proto/ and conf/, /opt/tsflink, non-root user, tini as init, the entrypoint script', () => {
  const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy);
  const destinations = (source: RegExp) => copies.filter((c) => c.sources.some((s) => source.test(s)));
  assert.ok(destinations(/^(\/build\/)?proto\/?$/).length > 0, 'proto/ is copied (the daemons load the .proto files at runtime)');
  assert.ok(destinations(/^conf\/?$/).length > 0, 'conf/ is copied');
  assert.equal(lastOf(runtime, 'WORKDIR')?.args, '/opt/tsflink');
  assert.equal(stageVariables(runtime).env.get('FLINK_HOME'), '/opt/tsflink');

  const user = lastOf(runtime, 'USER')?.args;
  assert.ok(user, 'a USER is set');
  assert.doesNotMatch(user, /^(root|0)(:|$)/, 'the user is not root');
  assert.equal(user, 'flink');
  assert.match(runs(runtime), /useradd [^\n]*flink/);

  assert.match(runs(runtime), /apt-get install -y --no-install-recommends [^\n]*\btini\b/);
  const entrypoint = execForm(lastOf(runtime, 'ENTRYPOINT'));
  assert.ok(entrypoint, 'ENTRYPOINT in exec (JSON) form');
  assert.equal(entrypoint[0], '/usr/bin/tini', 'tini is the first element of the ENTRYPOINT');
  assert.equal(entrypoint[1], '--');
  assert.equal(entrypoint[2], '/opt/tsflink/docker/docker-entrypoint.sh');
  assert.ok(copies.some((c) => c.sources.includes('docker/docker-entrypoint.sh')), 'the entrypoint script is copied into the image');
  assert.deepEqual(execForm(lastOf(runtime, 'CMD')), ['help']);

  const exposed = (lastOf(runtime, 'EXPOSE')?.args ?? '').split(' ').map(Number);
  const dataPort = Number(flinkProperties(serviceEnvironment(readComposeFile().services.taskmanager!).FLINK_PROPERTIES ?? '').get('taskmanager.data.port'));
  for (const port of [6123, 8081, dataPort]) assert.ok(exposed.includes(port), `EXPOSE ${port}`);
});

test('the entrypoint script exists, is executable and is valid bash', () => {
  assert.ok(existsSync(ENTRYPOINT_SCRIPT));
  assert.ok((statSync(ENTRYPOINT_SCRIPT).mode & 0o111) !== 0, 'docker/docker-entrypoint.sh is executable');
  assert.match(readFileSync(ENTRYPOINT_SCRIPT, 'utf8'), /^#!\/usr\/bin\/env bash\n/);
  const r = spawnSync('bash', ['-n', ENTRYPOINT_SCRIPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
