/**
 * A real S3-protocol server for tests: s3rver in a child process, started by
 * pid as `node --openssl-legacy-provider <s3rver>/bin/s3rver.js -d DIR -a
 * 127.0.0.1 -p PORT --configure-bucket NAME --silent` (the legacy provider is
 * what makes listings past one page work), on a free port and a temporary data
 * directory.
 *
 * s3rver quirks worth knowing (see also the S3 file system's notes):
 * - it checks the access key (only S3RVER is known) but not v4 signatures, so a
 *   wrong secret key is accepted;
 * - with `Delimiter: '/'` it omits prefixes two or more levels deep;
 * - its multi-object delete removes keys concurrently and races on cleaning up
 *   the emptied directories: deleting several keys of one directory may answer
 *   500 InternalError although every key is gone; a retry then succeeds.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Configuration, S3Options } from '@tsflink/core';
import { freePort } from '../free-port.js';
import { ServerProcess } from './server-process.js';

/** The only credentials s3rver knows. */
export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';

export interface S3TestServerOptions {
  /** Bucket created at start-up; default 'tsflink-test'. */
  bucket?: string;
  /** Data directory; default a new temporary directory (removed by stop()). */
  dataDir?: string;
  /** Port; default a free one. */
  port?: number;
  /** Region to put into the configuration; s3rver ignores it. Default us-east-1. */
  region?: string;
  /** How long to wait for the server to answer; default 15 s. */
  startTimeoutMs?: number;
}

export class S3TestServer {
  readonly accessKey = S3RVER_ACCESS_KEY;
  readonly secretKey = S3RVER_SECRET_KEY;
  private process: ServerProcess | undefined;

  private constructor(
    readonly bucket: string,
    readonly port: number,
    readonly dataDir: string,
    readonly region: string,
    private readonly ownsDataDir: boolean,
    private readonly startTimeoutMs: number,
  ) {}

  /** Starts s3rver with one bucket and waits until it answers HTTP requests. */
  static async start(options: S3TestServerOptions = {}): Promise<S3TestServer> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tsflink-s3rver-'));
    const server = new S3TestServer(
      options.bucket ?? 'tsflink-test',
      options.port ?? await freePort(),
      dataDir,
      options.region ?? 'us-east-1',
      options.dataDir === undefined,
      options.startTimeoutMs ?? 15_000,
    );
    await server.launch();
    return server;
  }

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The pid of the s3rver process (-1 when not running). */
  get pid(): number {
    return this.process?.running ? this.process.pid : -1;
  }

  /** `s3://<bucket>/<key>`. */
  uri(key = ''): string {
    return key === '' ? `s3://${this.bucket}` : `s3://${this.bucket}/${key.replace(/^\/+/, '')}`;
  }

  /** The flink-conf.yaml entries that point tsflink at this server. */
  get flinkConfig(): Record<string, string> {
    return {
      [S3Options.ENDPOINT.key]: this.endpoint,
      [S3Options.PATH_STYLE_ACCESS.key]: 'true',
      [S3Options.ACCESS_KEY.key]: this.accessKey,
      [S3Options.SECRET_KEY.key]: this.secretKey,
      [S3Options.REGION.key]: this.region,
    };
  }

  /** The same settings as a Configuration, for in-process use. */
  configuration(): Configuration {
    return new Configuration()
      .set(S3Options.ENDPOINT, this.endpoint)
      .set(S3Options.PATH_STYLE_ACCESS, true)
      .set(S3Options.ACCESS_KEY, this.accessKey)
      .set(S3Options.SECRET_KEY, this.secretKey)
      .set(S3Options.REGION, this.region);
  }

  /** Kills the server (SIGKILL by pid) and keeps its data: the endpoint refuses connections until {@link restart}. */
  async kill(): Promise<void> {
    await this.process?.kill();
    this.process = undefined;
  }

  /** Kills the server if it runs and starts it again on the same port with the same data. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** Stops the server and removes the data directory it created. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const bin = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
    const server = ServerProcess.start({
      name: 's3rver',
      nodeArgs: [
        '--openssl-legacy-provider', bin,
        '-d', this.dataDir, '-a', '127.0.0.1', '-p', String(this.port),
        '--configure-bucket', this.bucket, '--silent',
      ],
    });
    this.process = server;
    try {
      await server.waitFor(answers(this.port, () => server.running), this.startTimeoutMs, `answering on port ${this.port}`);
    } catch (error) {
      await server.kill();
      this.process = undefined;
      throw error;
    }
  }
}

/** Resolves once an HTTP request to the port gets any answer; polls every 50 ms while `keepTrying()`. */
async function answers(port: number, keepTrying: () => boolean): Promise<void> {
  while (keepTrying()) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
