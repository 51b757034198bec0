import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Every child this process started, so they can be killed however the test ends. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => { for (const c of liveChildren) { try { c.kill('SIGKILL'); } catch { /* gone */ } } };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => { killAll(); process.exit(130); });
  }
}

export interface DaemonSpawnOptions {
  name: string;
  entry: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Resolve `ready` when a JSON log line carries `"ready":true` (default) — or never wait. */
  waitForReady?: boolean;
  readyTimeoutMs?: number;
}

/**
 * A real daemon (JobManager or TaskManager) running as a child process in the
 * foreground, its JSON log lines read from stdout. Children are tied to the
 * test process: they exit when it exits (TSFLINK_EXIT_WITH_PARENT), and the
 * exit hook SIGKILLs whatever is left.
 */
export class DaemonProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lineWaiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];

  private constructor(readonly name: string, child: ChildProcess) {
    this.child = child;
    liveChildren.add(child);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => { liveChildren.delete(child); resolve({ code, signal }); }));
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        for (const w of [...this.lineWaiters]) {
          if (w.re.test(line)) { this.lineWaiters.splice(this.lineWaiters.indexOf(w), 1); w.resolve(line); }
        }
      });
    }
  }

  static async spawn(options: DaemonSpawnOptions): Promise<DaemonProcess> {
    installExitHook();
    const child = spawn(process.execPath, [options.entry, '--foreground', ...options.args], {
      env: { ...options.env, TSFLINK_EXIT_WITH_PARENT: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const daemon = new DaemonProcess(options.name, child);
    if (options.waitForReady !== false) {
      const timeout = options.readyTimeoutMs ?? 20_000;
      const ready = daemon.waitForLine(/"ready":true/, timeout);
      const died = daemon.exited.then(({ code, signal }) => {
        throw new Error(`${options.name} exited during start-up (code ${code}, signal ${signal}):\n${daemon.lines.slice(-20).join('\n')}`);
      });
      await Promise.race([ready, died]);
    }
    return daemon;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first output line (past or future) matching `re`. */
  waitForLine(re: RegExp, timeoutMs = 20_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { re, resolve: (l: string) => { clearTimeout(timer); resolve(l); } };
      const timer = setTimeout(() => {
        this.lineWaiters.splice(this.lineWaiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no output line matched ${re} within ${timeoutMs} ms. Last lines:\n${this.lines.slice(-15).join('\n')}`));
      }, timeoutMs);
      this.lineWaiters.push(waiter);
    });
  }

  /** Log records (parsed JSON lines) so far. */
  records(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const l of this.lines) {
      if (!l.startsWith('{')) continue;
      try { out.push(JSON.parse(l) as Record<string, unknown>); } catch { /* not JSON */ }
    }
    return out;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }
}
