/**
 * A test server running as a child process, started directly with `node`
 * (never through npx, whose death would leave the server running) and stopped
 * by its pid. Children are killed when the test process exits, however it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const liveServers = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveServers) {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  });
}

/** How to start a server process. */
export interface ServerProcessOptions {
  /** Name used in error messages. */
  name: string;
  /** Arguments to `node` (flags, then the script and its arguments). */
  nodeArgs: string[];
  env?: NodeJS.ProcessEnv;
  /** Lines kept for error messages; default 200. */
  keepLines?: number;
}

/** A running child process with its recent output. */
export class ServerProcess {
  /** Recent stdout and stderr lines. */
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lineListeners = new Set<(line: string) => void>();

  private constructor(readonly name: string, readonly child: ChildProcess, keepLines: number) {
    liveServers.add(child);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      liveServers.delete(child);
      resolve({ code, signal });
    }));
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > keepLines) this.lines.shift();
        for (const listener of [...this.lineListeners]) listener(line);
      });
    }
  }

  /** Starts `node <nodeArgs>` with stdin open (for control commands) and stdout/stderr piped. */
  static start(options: ServerProcessOptions): ServerProcess {
    installExitHook();
    const child = spawn(process.execPath, options.nodeArgs, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new ServerProcess(options.name, child, options.keepLines ?? 200);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls `listener` for every later output line; returns a function that unsubscribes. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Writes one line to the child's stdin. */
  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /**
   * Waits for `ready` (e.g. "the server answers"), failing with the process's
   * last output if it exits first or `timeoutMs` passes.
   */
  async waitFor<T>(ready: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onExit: (() => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      const fail = (why: string) => reject(new Error(`${this.name} (pid ${this.pid}) ${why} before ${what}:\n${this.lines.slice(-20).join('\n')}`));
      onExit = () => fail(`exited (code ${this.child.exitCode}, signal ${this.child.signalCode})`);
      if (!this.running) onExit();
      this.child.once('exit', onExit);
      timer = setTimeout(() => fail(`did not get ready within ${timeoutMs} ms`), timeoutMs);
    });
    try {
      return await Promise.race([ready, failed]);
    } finally {
      clearTimeout(timer);
      if (onExit) this.child.off('exit', onExit);
    }
  }

  /** Stops the process by its pid: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 2_000): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => { if (this.running) process.kill(this.pid, 'SIGKILL'); }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process by its pid with SIGKILL and waits for it to be gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGKILL');
    await this.exited;
  }
}
