/**
 * A WebHdfsTestServer in its own process (started by pid from the entry
 * script webhdfs-test-server-main), for tests where the server must outlive or
 * be killed independently of the process under test. The fault hooks are the
 * in-process server's, sent over the child's stdin.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from '@tsflink/core';
import { ServerProcess } from './server-process.js';
import {
  hdfsUri, webHdfsConfiguration, webHdfsFlinkConfig, webHdfsUri,
  type BooleanOp, type FailNextOptions, type WebHdfsOp, type WebHdfsRequestRecord,
} from './webhdfs-test-server.js';

export interface WebHdfsTestServerProcessOptions {
  root?: string;
  namenodePort?: number;
  datanodePort?: number;
  owner?: string;
  /** How long to wait for the ready line; default 15 s. */
  startTimeoutMs?: number;
}

interface Reply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  ready?: boolean;
  namenodePort?: number;
  datanodePort?: number;
  root?: string;
}

export class WebHdfsTestServerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ServerProcess,
    readonly namenodePort: number,
    readonly datanodePort: number,
    readonly root: string,
  ) {
    child.onLine((line) => {
      const reply = parseReply(line);
      if (reply?.id === undefined) return;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`WebHDFS test server: ${reply.error ?? 'failed'}`));
    });
    void child.exited.then(() => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('WebHDFS test server process exited'));
      this.pending.clear();
    });
  }

  /** Starts the entry script (the .ts source under tsx, or the built .js) and waits for its ready line. */
  static async start(options: WebHdfsTestServerProcessOptions = {}): Promise<WebHdfsTestServerProcess> {
    const extension = extname(fileURLToPath(import.meta.url));
    const entry = fileURLToPath(new URL(`./webhdfs-test-server-main${extension}`, import.meta.url));
    const args = [
      ...(options.root !== undefined ? ['--root', options.root] : []),
      ...(options.namenodePort !== undefined ? ['--namenode-port', String(options.namenodePort)] : []),
      ...(options.datanodePort !== undefined ? ['--datanode-port', String(options.datanodePort)] : []),
      ...(options.owner !== undefined ? ['--owner', options.owner] : []),
    ];
    const server = ServerProcess.start({
      name: 'webhdfs-test-server',
      nodeArgs: [...(extension === '.ts' ? ['--import', 'tsx'] : []), entry, ...args],
    });
    const ready = new Promise<Reply>((resolve) => {
      const unsubscribe = server.onLine((line) => {
        const reply = parseReply(line);
        if (reply?.ready) {
          unsubscribe();
          resolve(reply);
        }
      });
    });
    try {
      const reply = await server.waitFor(ready, options.startTimeoutMs ?? 15_000, 'its ready line');
      return new WebHdfsTestServerProcess(server, reply.namenodePort!, reply.datanodePort!, reply.root!);
    } catch (error) {
      await server.kill();
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  uri(path = '/'): string {
    return webHdfsUri(this.namenodePort, path);
  }

  hdfsUri(path = '/'): string {
    return hdfsUri(path);
  }

  get flinkConfig(): Record<string, string> {
    return webHdfsFlinkConfig(this.namenodePort);
  }

  configuration(): Configuration {
    return webHdfsConfiguration(this.namenodePort);
  }

  async datanodeDown(down: boolean): Promise<void> {
    await this.call('datanodeDown', down);
  }

  async namenodeDown(down: boolean): Promise<void> {
    await this.call('namenodeDown', down);
  }

  async slowDatanode(millis: number): Promise<void> {
    await this.call('slowDatanode', millis);
  }

  async failNext(op: WebHdfsOp, status: number, exception: string, options: FailNextOptions = {}): Promise<void> {
    await this.call('failNext', op, status, exception, options);
  }

  async answerFalseNext(op: BooleanOp, times = 1): Promise<void> {
    await this.call('answerFalseNext', op, times);
  }

  async heal(): Promise<void> {
    await this.call('heal');
  }

  /** The requests the server received so far. */
  async requests(): Promise<WebHdfsRequestRecord[]> {
    return (await this.call('requests')) as WebHdfsRequestRecord[];
  }

  /** SIGKILLs the process (the tree stays on disk). */
  async kill(): Promise<void> {
    await this.child.kill();
  }

  /** Stops the process (SIGTERM: it removes the tree it created). */
  async stop(): Promise<void> {
    await this.child.stop();
  }

  private call(method: string, ...args: unknown[]): Promise<unknown> {
    if (!this.child.running) return Promise.reject(new Error('WebHDFS test server process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send(JSON.stringify({ id, method, args }));
    });
  }
}

function parseReply(line: string): Reply | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Reply;
  } catch {
    return undefined;
  }
}
