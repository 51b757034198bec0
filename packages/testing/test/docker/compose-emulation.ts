/**
 * docker/docker-compose.yml played without Docker: every "container" is the
 * real docker/docker-entrypoint.sh run as a child process of the test, with the
 * service's entrypoint/command (or the image's ENTRYPOINT/CMD from the
 * Dockerfile) and environment. What Docker would provide is emulated:
 *   - service host names (`jobmanager`, `minio`) and each container's own
 *     address are 127.0.0.1 (TASK_MANAGER_HOST);
 *   - container ports get free host ports (all containers share one address
 *     here), set through FLINK_PROPERTIES overrides appended after the service's;
 *   - named volumes are directories under the emulation's temporary directory,
 *     bind mounts the host paths; container paths in FLINK_PROPERTIES, in
 *     arguments and the working directory are mapped to them;
 *   - the image's /opt/tsflink is the checkout (FLINK_HOME), its baked conf/
 *     the checkout's conf/.
 * Savepoint and recovery tests build on it: `up(service)` starts a container
 * and waits until it is ready, `run('client', [...flink args])` is
 * `docker compose run --rm client ...`, `stateDir()` is the flink-state volume,
 * `EmulatedContainer.kill(signal)` is `docker kill`/`docker stop`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, freePort } from '@tsflink/testing';
import {
  DOCKER_DIR, execForm, lastOf, publishedPorts, readComposeFile, readDockerfile, serviceEnvironment, stageVariables, volumeMounts,
  type ComposeFile, type ComposeService,
} from './docker-files.js';

/** The address every emulated container has. */
export const CONTAINER_ADDRESS = '127.0.0.1';

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const c of liveChildren) { try { c.kill('SIGKILL'); } catch { /* gone */ } } });
}

export interface ProcessResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** One emulated container: the entrypoint script as a child process (after its `exec`, the daemon itself). */
export class EmulatedContainer {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];

  constructor(readonly name: string, readonly child: ChildProcess, readonly logDir: string, readonly confDir: string) {
    liveChildren.add(child);
    this.exited = new Promise((res) => child.once('exit', (code, signal) => { liveChildren.delete(child); res({ code, signal }); }));
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        for (const w of [...this.waiters]) if (w.re.test(line)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(line); }
      });
    }
  }

  get pid(): number { return this.child.pid ?? -1; }

  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }

  waitForLine(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const waiter = { re, resolve: (l: string) => { clearTimeout(timer); res(l); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        rej(new Error(`${this.name}: no output line matched ${re} within ${timeoutMs} ms. Last lines:\n${this.lines.slice(-15).join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves once the daemon logged `"ready":true`; rejects with its output if it exits first. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`${this.name} exited during start-up (code ${code}, signal ${signal}):\n${this.lines.slice(-20).join('\n')}`);
    });
    await Promise.race([this.waitForLine(/"ready":true/, timeoutMs), died]);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }
}

export interface ComposeEmulationOptions {
  /** Variables for the compose file's ${...} interpolation (the shell environment / --env-file). */
  vars?: Record<string, string>;
  /** Extra FLINK_PROPERTIES lines appended for every container (after the service's and the port mapping). */
  extraProperties?: Record<string, string | number>;
  /** Keep the temporary directory (volumes, logs, configurations) after down(). */
  keepFiles?: boolean;
}

export class ComposeEmulation {
  readonly containers: EmulatedContainer[] = [];
  private readonly counters = new Map<string, number>();

  private constructor(
    readonly compose: ComposeFile,
    readonly dir: string,
    /** Container port → host port (one address for all containers, so one map). */
    readonly ports: ReadonlyMap<number, number>,
    private readonly image: { entrypoint: string[]; cmd: string[]; workdir: string; env: Map<string, string>; home: string },
    private readonly options: ComposeEmulationOptions,
  ) {}

  static async create(options: ComposeEmulationOptions = {}): Promise<ComposeEmulation> {
    installExitHook();
    const compose = readComposeFile(options.vars ?? {});
    const runtime = readDockerfile().at(-1)!;
    const { env } = stageVariables(runtime);
    const image = {
      entrypoint: execForm(lastOf(runtime, 'ENTRYPOINT')) ?? [],
      cmd: execForm(lastOf(runtime, 'CMD')) ?? [],
      workdir: lastOf(runtime, 'WORKDIR')?.args ?? '/',
      env,
      home: env.get('FLINK_HOME') ?? '/opt/tsflink',
    };
    const ports = new Map<number, number>();
    for (const service of Object.values(compose.services)) {
      for (const { target } of publishedPorts(service)) if (!ports.has(target)) ports.set(target, await freePort());
    }
    const dir = mkdtempSync(join(tmpdir(), 'tsflink-compose-'));
    for (const name of Object.keys(compose.volumes ?? {})) mkdirSync(join(dir, 'volumes', name), { recursive: true });
    return new ComposeEmulation(compose, dir, ports, image, options);
  }

  service(name: string): ComposeService {
    const s = this.compose.services[name];
    if (!s) throw new Error(`docker-compose.yml has no service ${name}.`);
    return s;
  }

  /** The host port standing for a container port (e.g. 8081 → a free port). */
  port(containerPort: number): number {
    const p = this.ports.get(containerPort);
    if (p === undefined) throw new Error(`Port ${containerPort} is not published by any service.`);
    return p;
  }

  /** Host directory of a named volume. */
  volumePath(name: string): string {
    return join(this.dir, 'volumes', name);
  }

  /** Host path of a path inside a container of `service` (its mounts, then the image's FLINK_HOME). */
  hostPath(service: string, containerPath: string): string {
    for (const { source, target } of this.mounts(service)) {
      if (containerPath === target || containerPath.startsWith(`${target}/`)) return source + containerPath.slice(target.length);
    }
    if (containerPath === this.image.home || containerPath.startsWith(`${this.image.home}/`)) {
      return join(REPO_ROOT, containerPath.slice(this.image.home.length));
    }
    return containerPath;
  }

  /** The state directory (checkpoints, savepoints) as the containers see it through the flink-state volume. */
  stateDir(): string {
    return this.hostPath('jobmanager', '/tmp/flink-backend');
  }

  /** Starts one more container of a daemon service and waits until it is ready (`docker compose up --scale`). */
  async up(serviceName: string, options: { waitForReady?: boolean; env?: Record<string, string> } = {}): Promise<EmulatedContainer> {
    const service = this.service(serviceName);
    const n = (this.counters.get(serviceName) ?? 0) + 1;
    this.counters.set(serviceName, n);
    const container = this.start(serviceName, `${serviceName}-${n}`, this.commandOf(service), options.env ?? {});
    this.containers.push(container);
    if (options.waitForReady !== false) await container.ready();
    return container;
  }

  /** `docker compose run --rm <service> [args]`: args replace the service's command; resolves when it exits. */
  async run(serviceName: string, args?: string[], timeoutMs = 120_000): Promise<ProcessResult> {
    const service = this.service(serviceName);
    const n = (this.counters.get(serviceName) ?? 0) + 1;
    this.counters.set(serviceName, n);
    const command = args ?? this.commandOf(service);
    const container = this.start(serviceName, `${serviceName}-run-${n}`, command, {});
    const timer = setTimeout(() => container.child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    container.child.stdout?.on('data', (d) => { stdout += d; });
    container.child.stderr?.on('data', (d) => { stderr += d; });
    const { code, signal } = await container.exited;
    clearTimeout(timer);
    if (signal === 'SIGKILL') throw new Error(`${container.name} (${command.join(' ')}) timed out after ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`);
    return { code, signal, stdout, stderr };
  }

  /** Runs the service's compose health check as Docker would inside the container; resolves with its exit code. */
  async healthcheck(serviceName: string): Promise<number> {
    const check = this.service(serviceName).healthcheck;
    if (!check) throw new Error(`Service ${serviceName} has no healthcheck.`);
    const test = Array.isArray(check.test) ? check.test : ['CMD-SHELL', check.test];
    const mapPorts = (s: string) => s.replace(/\b(127\.0\.0\.1|localhost):(\d+)\b/g, (_, _host: string, port: string) => `${CONTAINER_ADDRESS}:${this.ports.get(Number(port)) ?? port}`);
    let argv: string[];
    if (test[0] === 'CMD') argv = test.slice(1).map(mapPorts);
    else if (test[0] === 'CMD-SHELL') argv = ['/bin/sh', '-c', mapPorts(test[1]!)];
    else throw new Error(`Unsupported healthcheck test ${JSON.stringify(test)}.`);
    if (argv[0] === 'node') argv[0] = process.execPath;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    return new Promise((res) => child.once('exit', (code) => res(code ?? -1)));
  }

  /** GET on the JobManager's REST endpoint (published port 8081). */
  async rest<T>(path: string): Promise<T> {
    const r = await fetch(`http://${CONTAINER_ADDRESS}:${this.port(8081)}${path}`);
    if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
    return (await r.json()) as T;
  }

  /** Polls REST /overview until it reports `count` TaskManagers; resolves with the time it took. */
  async waitForTaskManagers(count: number, timeoutMs = 20_000): Promise<number> {
    const started = Date.now();
    let seen: number | undefined;
    while (Date.now() - started < timeoutMs) {
      try {
        seen = (await this.rest<{ taskmanagers: number }>('/overview')).taskmanagers;
        if (seen === count) return Date.now() - started;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`REST /overview did not report ${count} TaskManagers within ${timeoutMs} ms (last: ${seen}).`);
  }

  /** Stops every container (SIGKILL by default) and removes the temporary files. Safe to call twice. */
  async down(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await Promise.all(this.containers.map((c) => c.kill(signal)));
    if (!this.options.keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------

  private mounts(serviceName: string): Array<{ source: string; target: string }> {
    return volumeMounts(this.service(serviceName))
      .map(({ source, target }) => ({
        target,
        source: /^[./~]/.test(source) ? resolve(DOCKER_DIR, source) : this.volumePath(source),
      }))
      .sort((a, b) => b.target.length - a.target.length);
  }

  private commandOf(service: ComposeService): string[] {
    const command = service.command ?? this.image.cmd;
    return typeof command === 'string' ? command.split(' ') : command;
  }

  private start(serviceName: string, containerName: string, command: string[], extraEnv: Record<string, string>): EmulatedContainer {
    const service = this.service(serviceName);
    const entrypoint = service.entrypoint === undefined ? this.image.entrypoint
      : typeof service.entrypoint === 'string' ? service.entrypoint.split(' ') : service.entrypoint;
    // tini is PID 1 in the image; here the test process plays that part.
    const dashDash = entrypoint.indexOf('--');
    if (!/tini$/.test(entrypoint[0] ?? '') || dashDash < 0) throw new Error(`Expected tini as the entrypoint of ${serviceName}: ${JSON.stringify(entrypoint)}`);
    const argv = [...entrypoint.slice(dashDash + 1), ...command].map((a) => (a.startsWith('/') ? this.hostPath(serviceName, a) : a));

    const root = join(this.dir, 'containers', containerName);
    // The image's log/ belongs to each container: never the checkout's log/.
    const logDir = join(root, 'log');
    const confDir = join(root, 'conf');
    mkdirSync(logDir, { recursive: true });

    const serviceNames = new Set([...Object.keys(this.compose.services), ...Object.values(this.compose.services).flatMap((s) => (s.hostname ? [s.hostname] : []))]);
    const env: Record<string, string> = {};
    for (const [k, v] of this.image.env) if (k !== 'PATH') env[k] = v.startsWith('/') ? this.hostPath(serviceName, v) : v;
    for (const [k, v] of Object.entries(serviceEnvironment(service))) env[k] = serviceNames.has(v) ? CONTAINER_ADDRESS : v;
    env.FLINK_PROPERTIES = this.properties(serviceName, env.FLINK_PROPERTIES ?? '', serviceNames);
    Object.assign(env, {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE: process.execPath,
      FLINK_LOG_DIR: logDir,
      TSFLINK_RUNTIME_CONF_DIR: confDir,
      TASK_MANAGER_HOST: CONTAINER_ADDRESS,
      TSFLINK_EXIT_WITH_PARENT: String(process.pid),
      ...extraEnv,
    });
    const cwd = this.hostPath(serviceName, service.working_dir ?? this.image.workdir);
    mkdirSync(cwd, { recursive: true });
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return new EmulatedContainer(containerName, child, logDir, confDir);
  }

  /** The service's FLINK_PROPERTIES with host names, container paths and ports mapped, plus the emulation's overrides. */
  private properties(serviceName: string, text: string, serviceNames: ReadonlySet<string>): string {
    let out = text;
    for (const name of serviceNames) out = out.replace(new RegExp(`(://|: )${name.replace(/[.]/g, '\\.')}(?=[:/\\s]|$)`, 'gm'), `$1${CONTAINER_ADDRESS}`);
    for (const { source, target } of this.mounts(serviceName)) out = out.split(`file://${target}`).join(`file://${source}`);
    const overrides: Record<string, string | number> = {
      'jobmanager.rpc.port': this.port(6123),
      'rest.port': this.port(8081),
      // Docker gives every container its own address; here they share one.
      'jobmanager.bind-host': CONTAINER_ADDRESS,
      'taskmanager.data.port': 0,
      ...this.options.extraProperties,
    };
    return `${out.replace(/\n?$/, '\n')}${Object.entries(overrides).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
  }
}
