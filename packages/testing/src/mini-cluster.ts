import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ClusterClient, type JobStateName, type JobStatus } from '@tsflink/client';
import { DaemonProcess } from './daemon-process.js';
import { freePort } from './free-port.js';
import { CLI_ENTRY, JOBMANAGER_ENTRY, TASKMANAGER_ENTRY } from './repo-paths.js';

export interface MiniClusterOptions {
  taskManagers?: number;
  slotsPerTaskManager?: number;
  /** Extra flink-conf.yaml entries. */
  config?: Record<string, string | number | boolean>;
  /** Keep the temporary directory after close (for debugging). */
  keepFiles?: boolean;
}

export interface CliResult { code: number; stdout: string; stderr: string }

/**
 * A real tsflink cluster for tests: one JobManager and N TaskManagers as child
 * processes on free ports, with a temporary configuration, log and state
 * directory. Daemons can be SIGKILLed and restarted; `close()` stops all of them
 * and removes the files (children also die if the test process dies).
 */
export class MiniCluster {
  readonly taskManagers: DaemonProcess[] = [];
  /** TaskManagers that were killed (their output is kept for assertions). */
  private readonly retiredTaskManagers: DaemonProcess[] = [];
  client: ClusterClient;
  private tmCounter = 0;

  private constructor(
    readonly dir: string,
    readonly confDir: string,
    readonly logDir: string,
    readonly rpcPort: number,
    readonly restPort: number,
    public jobManager: DaemonProcess,
    private readonly options: MiniClusterOptions,
  ) {
    this.client = new ClusterClient({ address: this.jobManagerAddress });
  }

  static async start(options: MiniClusterOptions = {}): Promise<MiniCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'tsflink-minicluster-'));
    const confDir = join(dir, 'conf');
    const logDir = join(dir, 'log');
    const rpcPort = await freePort();
    const restPort = await freePort();
    const conf: Record<string, string | number | boolean> = {
      'jobmanager.rpc.address': 'localhost',
      'jobmanager.rpc.port': rpcPort,
      'rest.port': restPort,
      'taskmanager.numberOfTaskSlots': options.slotsPerTaskManager ?? 1,
      'heartbeat.interval': '500 ms',
      'heartbeat.timeout': '3 s',
      ...options.config,
    };
    writeConf(confDir, conf);
    let jm: DaemonProcess | undefined;
    try {
      jm = await MiniCluster.spawnJobManager(confDir, logDir);
      const cluster = new MiniCluster(dir, confDir, logDir, rpcPort, restPort, jm, options);
      for (let i = 0; i < (options.taskManagers ?? 1); i++) await cluster.startTaskManager();
      await cluster.waitForTaskManagers(options.taskManagers ?? 1);
      return cluster;
    } catch (e) {
      await jm?.kill();
      if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  get jobManagerAddress(): string {
    return `localhost:${this.rpcPort}`;
  }

  /** Environment for scripts and the CLI pointing at this cluster. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, FLINK_CONF_DIR: this.confDir, FLINK_LOG_DIR: this.logDir };
  }

  private static spawnJobManager(confDir: string, logDir: string): Promise<DaemonProcess> {
    return DaemonProcess.spawn({
      name: 'JobManager',
      entry: JOBMANAGER_ENTRY,
      args: ['--configDir', confDir],
      env: { ...process.env, FLINK_LOG_DIR: logDir, FLINK_LOG_FILE: join(logDir, `jobmanager-${Date.now()}.log`) },
    });
  }

  async startTaskManager(extraArgs: string[] = []): Promise<DaemonProcess> {
    const n = this.tmCounter++;
    const tm = await DaemonProcess.spawn({
      name: `TaskManager-${n}`,
      entry: TASKMANAGER_ENTRY,
      args: ['--configDir', this.confDir, ...extraArgs],
      env: { ...process.env, FLINK_LOG_DIR: this.logDir, FLINK_LOG_FILE: join(this.logDir, `taskmanager-${n}.log`) },
    });
    this.taskManagers.push(tm);
    return tm;
  }

  /** Index in `taskManagers` of the TaskManager with this resource id (as the JobManager reports it), or -1. */
  indexOfTaskManager(taskManagerId: string): number {
    return this.taskManagers.findIndex((tm) => tm.lines.some((l) => l.includes(`"taskManagerId":"${taskManagerId}"`)));
  }

  /** Kills a TaskManager (SIGKILL by default) and forgets it. */
  async killTaskManager(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<DaemonProcess> {
    const tm = this.taskManagers[index];
    if (!tm) throw new Error(`No TaskManager ${index}.`);
    await tm.kill(signal);
    this.taskManagers.splice(index, 1);
    this.retiredTaskManagers.push(tm);
    return tm;
  }

  async killJobManager(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.jobManager.kill(signal);
  }

  /** Starts a new JobManager on the same ports (after killJobManager). */
  async restartJobManager(): Promise<void> {
    if (this.jobManager.running) await this.jobManager.kill();
    this.jobManager = await MiniCluster.spawnJobManager(this.confDir, this.logDir);
    this.client.close();
    this.client = new ClusterClient({ address: this.jobManagerAddress });
  }

  /** Waits until exactly `count` TaskManagers are registered. */
  async waitForTaskManagers(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (Date.now() < deadline) {
      try {
        seen = (await this.client.clusterOverview()).task_managers.length;
        if (seen === count) return;
      } catch { /* JobManager not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Expected ${count} registered TaskManagers within ${timeoutMs} ms, saw ${seen}.`);
  }

  /** Runs the real `flink` CLI against this cluster as a child process. */
  runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
    return runNode([CLI_ENTRY, ...args], this.env, options.cwd, options.timeoutMs);
  }

  /** `flink run -d [cliArgs] <jobFile> [args]`; resolves with the job id. */
  async submit(jobFile: string, args: string[] = [], cliArgs: string[] = []): Promise<string> {
    const r = await this.runCli(['run', '-d', ...cliArgs, jobFile, ...args]);
    const m = /Job has been submitted with JobID ([0-9a-f]{32})/.exec(r.stdout);
    if (r.code !== 0 || !m) throw new Error(`flink run failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    return m[1]!;
  }

  /** Polls the job until `until(status)` holds (default: it reached `state`). */
  async waitForJob(jobId: string, state: JobStateName | ((s: JobStatus) => boolean), timeoutMs = 60_000): Promise<JobStatus> {
    const until = typeof state === 'function' ? state : (s: JobStatus) => s.state === state;
    const deadline = Date.now() + timeoutMs;
    let last: JobStatus | undefined;
    while (Date.now() < deadline) {
      try {
        last = await this.client.getJob(jobId);
        if (until(last)) return last;
      } catch { /* JobManager restarting */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Job ${jobId} did not reach the expected state within ${timeoutMs} ms; last: ${JSON.stringify(last && { state: last.state, restarts: last.restarts, failure: last.failure?.message })}`);
  }

  /** Every line printed by print() on the TaskManagers so far (killed ones included). */
  printed(): string[] {
    return [...this.retiredTaskManagers, ...this.taskManagers].flatMap((tm) => tm.lines.filter((l) => !l.startsWith('{')));
  }

  async close(): Promise<void> {
    this.client.close();
    await Promise.all([...this.taskManagers.map((t) => t.kill()), this.jobManager.kill()]);
    if (!this.options.keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Writes a flat flink-conf.yaml. */
export function writeConf(confDir: string, conf: Record<string, string | number | boolean>): void {
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, 'flink-conf.yaml'), Object.entries(conf).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n');
}


/** Runs `node <args>` and collects its output. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, cwd?: string, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node ${args.join(' ')} timed out after ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}
