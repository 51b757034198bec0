import type { WebHdfsClient as NpmClient, WebHdfsRequest as NpmRequest, WebHdfsResponse as NpmResponse } from 'webhdfs';
import { PassThrough } from 'node:stream';
import type { Logger } from '@tsflink/core';
import { DEFAULT_RETRY_POLICY, RemoteCallTimeoutError, withRetry, withTimeout, type RetryOptions, type RetryPolicy, type Sleep } from '../retry.js';
import type { HdfsFileStatus, HdfsUpload, WebHdfsClient } from './webhdfs-client.js';
import { WebHdfsRemoteError } from './webhdfs-errors.js';
import { DrainOrFailure } from '../drain-or-failure.js';

/**
 * The WebHdfsClient over the `webhdfs` npm package (loaded with a dynamic
 * import on first use). It makes up for the package's quirks:
 *
 * - every call runs under a time limit (`callTimeoutMs`) and every HTTP
 *   request under the `request` library's connect/inactivity timeout
 *   (`socketTimeoutMs`), since some failures would otherwise never settle;
 * - error answers are turned back into {@link WebHdfsRemoteError} with the HTTP
 *   status and the RemoteException's name, read from the request's response
 *   (the package keeps only the message);
 * - mkdirs/rename/delete return the `{"boolean": ...}` of the answer, which
 *   the package ignores; callers must still verify renames and deletes;
 * - a CREATE whose namenode answers neither a redirect nor an error fails
 *   at once instead of hanging;
 * - idempotent calls (status, list, mkdirs, rename, delete, read) retry with
 *   the shared classifier; uploads are streamed and are not retried here.
 */
export class DefaultWebHdfsClient implements WebHdfsClient {
  readonly endpoint: string;
  private readonly retry: RetryOptions;

  private constructor(private readonly npm: NpmClient, host: string, port: number, readonly user: string, private readonly options: ResolvedOptions) {
    this.endpoint = `${host}:${port}`;
    this.retry = {
      policy: options.retryPolicy,
      ...(options.sleep !== undefined && { sleep: options.sleep }),
      ...(options.random !== undefined && { random: options.random }),
      onRetry: (event) => options.logger?.warn(
        { endpoint: this.endpoint, attempt: event.attempt, kind: event.kind, delayMs: event.delayMs, err: event.error },
        `WebHDFS call failed (${event.kind}), retrying in ${event.delayMs} ms (attempt ${event.attempt + 1} of ${options.retryPolicy.maxAttempts})`,
      ),
    };
  }

  /** Loads the `webhdfs` package (once per process) and creates a client for the namenode at host:port. */
  static async create(host: string, port: number, options: DefaultWebHdfsClientOptions): Promise<DefaultWebHdfsClient> {
    const webhdfs = await loadPackage();
    const resolved = resolveOptions(options);
    const npm = webhdfs.createClient({ host, port, path: '/webhdfs/v1', user: options.user }, { timeout: resolved.socketTimeoutMs });
    return new DefaultWebHdfsClient(npm, host, port, options.user, resolved);
  }

  async getFileStatus(path: string): Promise<HdfsFileStatus | undefined> {
    try {
      return await this.call('GETFILESTATUS', path, (done) => this.npm.stat(path, done), (value) => value as HdfsFileStatus);
    } catch (error) {
      if (isFileNotFound(error)) return undefined;
      throw error;
    }
  }

  async listStatus(path: string): Promise<HdfsFileStatus[] | undefined> {
    try {
      return await this.call('LISTSTATUS', path, (done) => this.npm.readdir(path, done), (value) => value as HdfsFileStatus[]);
    } catch (error) {
      if (isFileNotFound(error)) return undefined;
      throw error;
    }
  }

  mkdirs(path: string): Promise<boolean | undefined> {
    return this.call('MKDIRS', path, (done) => this.npm.mkdir(path, null, done), (_, response) => booleanOf(response));
  }

  rename(source: string, destination: string): Promise<boolean | undefined> {
    return this.call('RENAME', source, (done) => this.npm.rename(source, destination, done), (_, response) => booleanOf(response));
  }

  delete(path: string, recursive: boolean): Promise<boolean | undefined> {
    return this.call('DELETE', path, (done) => this.npm.unlink(path, recursive, done), (_, response) => booleanOf(response));
  }

  read(path: string, range?: { offset: number; length: number }): Promise<Buffer> {
    return withRetry(() => withTimeout(this.describe('OPEN', path), this.options.callTimeoutMs, (signal) => new Promise<Buffer>((resolve, reject) => {
      const request = this.npm.createReadStream(path, range === undefined ? undefined : { offset: range.offset, length: range.length });
      const chunks: Buffer[] = [];
      let settled = false;
      const settle = (error: unknown, data?: Buffer) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (error !== undefined) reject(error);
        else resolve(data!);
      };
      const onAbort = () => request.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      // For an error answer the package keeps only the message; read the RemoteException from the raw answer.
      const errorBody: Buffer[] = [];
      request.on('response', (response: NodeJS.ReadableStream & { statusCode?: number }) => {
        if ((response.statusCode ?? 0) >= 400) response.on('data', (chunk: Buffer) => errorBody.push(chunk));
      });
      request.on('error', (error: Error) => {
        // A network failure ends the request with no 'finish'; an error answer is settled on 'finish', with its whole body.
        if (request.response === undefined || request.response.statusCode < 400) settle(error);
      });
      request.on('finish', () => {
        const status = request.response?.statusCode;
        if (status !== undefined && status >= 400) {
          const remote = remoteExceptionOf(Buffer.concat(errorBody).toString('utf8'));
          settle(new WebHdfsRemoteError(status, remote?.exception, remote?.message ?? `HTTP ${status}`));
        } else {
          settle(undefined, Buffer.concat(chunks));
        }
      });
    })), this.retry);
  }

  createFile(path: string, overwrite: boolean): HdfsUpload {
    return new StreamedUpload(this.npm.createWriteStream(path, false, { overwrite }), this.describe('CREATE', path), this.options.callTimeoutMs);
  }

  /** One JSON call through a callback method of the package: time limit, abort on timeout, error recovery, retries. */
  private call<T>(
    op: string,
    path: string,
    start: (done: (error: Error | null, value?: unknown) => void) => NpmRequest,
    result: (value: unknown, response: NpmResponse | undefined) => T,
  ): Promise<T> {
    return withRetry(() => withTimeout(this.describe(op, path), this.options.callTimeoutMs, (signal) => new Promise<T>((resolve, reject) => {
      let request: NpmRequest | undefined;
      const onAbort = () => request?.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      request = start((error, value) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(remoteErrorOf(error, request?.response));
        else resolve(result(value, request?.response));
      });
    })), this.retry);
  }

  private describe(op: string, path: string): string {
    return `WebHDFS ${op} ${path} at ${this.endpoint}`;
  }
}

/** Settings and collaborators of {@link DefaultWebHdfsClient}. */
export interface DefaultWebHdfsClientOptions {
  /** Sent as `user.name`. */
  user: string;
  /** Retry budget and pauses; default {@link DEFAULT_RETRY_POLICY}. */
  retryPolicy?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  /** Retries are logged here at warn level. */
  logger?: Logger;
  /** Time limit of one call (each attempt), and of an upload's confirmation after it ended; default 60 s. */
  callTimeoutMs?: number;
  /** A request fails when its connection takes this long or then sees no traffic for this long; default 30 s. */
  socketTimeoutMs?: number;
}

interface ResolvedOptions {
  readonly retryPolicy: RetryPolicy;
  readonly sleep: Sleep | undefined;
  readonly random: (() => number) | undefined;
  readonly logger: Logger | undefined;
  readonly callTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

function resolveOptions(options: DefaultWebHdfsClientOptions): ResolvedOptions {
  return {
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    sleep: options.sleep,
    random: options.random,
    logger: options.logger,
    callTimeoutMs: options.callTimeoutMs ?? 60_000,
    socketTimeoutMs: options.socketTimeoutMs ?? 30_000,
  };
}

type NpmPackage = (typeof import('webhdfs'))['default'];
let packageLoading: Promise<NpmPackage> | undefined;

function loadPackage(): Promise<NpmPackage> {
  packageLoading ??= import('webhdfs').then((module) => module.default);
  return packageLoading;
}

/** Statuses the package treats as errors; anything else but a redirect leaves a CREATE hanging. */
const PACKAGE_ERROR_STATUSES = new Set([400, 401, 402, 403, 404, 500]);

/**
 * A CREATE streamed through the package: the namenode request gets a pipe,
 * which the package hands to the datanode request after the 307.
 */
class StreamedUpload implements HdfsUpload {
  private readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly outcome: Promise<void>;
  /**
   * Resolves a turn of the event loop after the pipe was connected. The package
   * pauses and unpipes the body inside pipe(); a body ended in that same turn
   * loses its data (found by experiment), so nothing touches it before this.
   */
  private readonly piped: Promise<void>;
  private failure: unknown;
  private ended = false;
  private readonly drain = new DrainOrFailure();

  constructor(request: NpmRequest, private readonly description: string, private readonly timeoutMs: number) {
    this.outcome = new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error === undefined) {
          resolve();
          return;
        }
        this.failure = error;
        this.drain.fail(error);
        reject(error);
      };
      request.on('response', (response: NpmResponse) => {
        const status = response.statusCode;
        if (status !== 301 && status !== 307 && !PACKAGE_ERROR_STATUSES.has(status)) {
          settle(new WebHdfsRemoteError(status, undefined, `the namenode answered HTTP ${status} to CREATE instead of redirecting to a datanode`));
        }
      });
      // Datanode failures arrive here too, as 'error' then 'finish'; only network errors carry a code.
      request.on('error', (error: Error) => settle(remoteErrorOf(error, request.response)));
      request.on('finish', () => settle());
    });
    this.outcome.catch(() => undefined); // observed by write/finish/abort
    this.body.pipe(request);
    this.piped = new Promise((resolve) => setImmediate(resolve));
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.ended) throw new Error(`${this.description}: write after the upload ended`);
    await this.piped;
    if (this.failure !== undefined) throw this.failure;
    await this.drain.write(this.body, chunk);
  }

  async finish(): Promise<void> {
    await this.end();
    await this.settled();
  }

  async abort(): Promise<void> {
    await this.end();
    await this.settled().catch(() => undefined);
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.piped;
    this.body.end();
  }

  /** The upload's outcome, or a timeout if the datanode does not confirm in time. */
  private settled(): Promise<void> {
    return withTimeout(this.description, this.timeoutMs, () => this.outcome);
  }
}

/** Recovers the HTTP status and RemoteException name of an error answer; network errors pass through. */
function remoteErrorOf(error: Error, response: NpmResponse | undefined): Error {
  if (error instanceof WebHdfsRemoteError || error instanceof RemoteCallTimeoutError) return error;
  const status = response?.statusCode;
  if (status === undefined || status < 400) return error;
  const remote = remoteExceptionOf(response?.body);
  return new WebHdfsRemoteError(status, remote?.exception, remote?.message ?? error.message);
}

function remoteExceptionOf(body: unknown): { exception?: string; message?: string } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try { value = JSON.parse(value); } catch { return undefined; }
  }
  const remote = (value as { RemoteException?: { exception?: unknown; message?: unknown } } | null | undefined)?.RemoteException;
  if (remote === undefined || remote === null) return undefined;
  return {
    ...(typeof remote.exception === 'string' && { exception: remote.exception }),
    ...(typeof remote.message === 'string' && { message: remote.message }),
  };
}

function booleanOf(response: NpmResponse | undefined): boolean | undefined {
  const value = (response?.body as { boolean?: unknown } | undefined)?.boolean;
  return typeof value === 'boolean' ? value : undefined;
}

function isFileNotFound(error: unknown): boolean {
  return error instanceof WebHdfsRemoteError && error.exception === 'FileNotFoundException';
}
