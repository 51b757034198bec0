/**
 * hdfs:// and webhdfs:// over WebHDFS (see webhdfs-location.ts for how a URI
 * finds its namenode). One client per namenode endpoint, created on first use.
 *
 * - `rename` and `delete` are verified with a stat afterwards: the namenode may
 *   answer `{"boolean": false}` (and the `webhdfs` package reports success then).
 *   WebHDFS's old-style rename moves a source INTO an existing target
 *   directory, so `rename` checks first that the target does not exist, and
 *   makes the target's parent (rename does not).
 * - `writeFileAtomic` uploads to a hidden temporary name in the same directory
 *   (`.<name>.inprogress.<random>`) and renames it: a new file appears whole.
 *   Replacing an existing file is delete + rename, since the client cannot
 *   send WebHDFS's rename-with-overwrite: readers may briefly find no file.
 *   The upload is retried as a whole on transient failures.
 * - `create` streams through the datanode into such a temporary file and
 *   renames it on `close()`; `abort()` ends the upload and deletes the file.
 */
import { randomBytes } from 'node:crypto';
import type { Configuration } from '@tsflink/core';
import type { FileStatus, FileSystem, FsOutputStream } from '../file-system.js';
import { withRetry } from '../retry.js';
import type { HdfsFileStatus, HdfsUpload, WebHdfsClient } from './webhdfs-client.js';
import type { DefaultWebHdfsClientOptions } from './default-webhdfs-client.js';
import { translateWebHdfsError, WebHdfsFileSystemError } from './webhdfs-errors.js';
import { resolveWebHdfsConfig, resolveWebHdfsLocation, type WebHdfsConfig, type WebHdfsLocation } from './webhdfs-location.js';

/** Creates the client of a namenode endpoint. */
export type WebHdfsClientFactory = (host: string, port: number, user: string) => Promise<WebHdfsClient>;

/** Tuning and collaborators of the WebHDFS file system: those of its clients (the user comes from the configuration). */
export type WebHdfsFileSystemOptions = Omit<DefaultWebHdfsClientOptions, 'user'>;

export class WebHdfsFileSystem implements FileSystem {
  readonly scheme = 'hdfs';
  private readonly clients = new Map<string, Promise<WebHdfsClient>>();

  constructor(
    private readonly config: WebHdfsConfig,
    private readonly createClient: WebHdfsClientFactory,
    private readonly options: Pick<WebHdfsFileSystemOptions, 'retryPolicy' | 'sleep' | 'random' | 'logger'> = {},
  ) {}

  /** The file system of a process: resolves the `fs.hdfs.*` options; the `webhdfs` package is loaded on first use. */
  static fromConfiguration(config: Configuration, options: WebHdfsFileSystemOptions = {}): WebHdfsFileSystem {
    const factory: WebHdfsClientFactory = async (host, port, user) => {
      const { DefaultWebHdfsClient } = await import('./default-webhdfs-client.js');
      return DefaultWebHdfsClient.create(host, port, { ...options, user });
    };
    return new WebHdfsFileSystem(resolveWebHdfsConfig(config), factory, options);
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== undefined;
  }

  async stat(path: string): Promise<FileStatus | undefined> {
    const { location, client } = await this.open(path);
    const status = await this.run('stat', path, client, () => client.getFileStatus(location.path));
    return status === undefined ? undefined : toFileStatus(childUri(location, ''), status);
  }

  async list(path: string): Promise<FileStatus[]> {
    const { location, client } = await this.open(path);
    const statuses = await this.run('list', path, client, () => client.listStatus(location.path));
    if (statuses === undefined) return [];
    return statuses
      .filter((s) => s.pathSuffix !== '') // a file lists as itself
      .map((s) => toFileStatus(childUri(location, s.pathSuffix), s))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async mkdirs(path: string): Promise<void> {
    const { location, client } = await this.open(path);
    const created = await this.run('create the directory', path, client, () => client.mkdirs(location.path));
    if (created === false) {
      throw new WebHdfsFileSystemError('failed', path, `Could not create the directory ${path}: the namenode answered false.`);
    }
  }

  async readFile(path: string): Promise<Buffer> {
    const { location, client } = await this.open(path);
    return this.run('read', path, client, () => client.read(location.path));
  }

  async readRange(path: string, offset: number, length: number): Promise<Buffer> {
    const { location, client } = await this.open(path);
    if (length === 0) {
      const status = await this.run('read', path, client, () => client.getFileStatus(location.path));
      if (status === undefined) throw new WebHdfsFileSystemError('not-found', path, `Could not read ${path}: it does not exist.`);
      if (status.length < offset) throw shorterThanExpected(path, offset, length, 0);
      return Buffer.alloc(0);
    }
    let data: Buffer;
    try {
      data = await this.run('read', path, client, () => client.read(location.path, { offset, length }));
    } catch (error) {
      if (error instanceof WebHdfsFileSystemError && error.reason === 'out-of-range') throw shorterThanExpected(path, offset, length, 0);
      throw error;
    }
    if (data.length < length) throw shorterThanExpected(path, offset, length, data.length);
    return data;
  }

  async writeFileAtomic(path: string, data: Buffer): Promise<void> {
    const { location, client } = await this.open(path);
    const temp = temporaryPath(location.path);
    try {
      await withRetry(async () => {
        const upload = client.createFile(temp, true);
        await upload.write(data);
        await upload.finish();
      }, this.retryOptions());
    } catch (error) {
      await this.deleteQuietly(client, temp);
      throw translateWebHdfsError(error, this.context('write', path, client));
    }
    try {
      if (await client.getFileStatus(location.path)) await this.deleteVerified(client, location.path, path, false);
      await this.renameVerified(client, temp, location.path, `${location.base}${temp}`, path);
    } catch (error) {
      await this.deleteQuietly(client, temp);
      throw translateWebHdfsError(error, this.context('write', path, client));
    }
  }

  async create(path: string): Promise<FsOutputStream> {
    const { location, client } = await this.open(path);
    if (await this.run('create', path, client, () => client.getFileStatus(location.path))) {
      throw new WebHdfsFileSystemError('already-exists', path, `Cannot create ${path}: the file already exists.`);
    }
    const temp = temporaryPath(location.path);
    return new WebHdfsOutputStream(client.createFile(temp, false), {
      commit: async () => {
        try {
          await this.renameVerified(client, temp, location.path, `${location.base}${temp}`, path);
        } catch (error) {
          await this.deleteQuietly(client, temp);
          throw error;
        }
      },
      discard: () => this.deleteQuietly(client, temp),
      translate: (error) => translateWebHdfsError(error, this.context('write', path, client)),
    });
  }

  /** DELETE, then a stat to confirm the path is gone. Missing paths are fine. */
  async delete(path: string, recursive: boolean): Promise<void> {
    const { location, client } = await this.open(path);
    try {
      await this.deleteVerified(client, location.path, path, recursive);
    } catch (error) {
      throw translateWebHdfsError(error, this.context('delete', path, client));
    }
  }

  /** RENAME after checking that the target does not exist; confirmed with a stat of both paths. */
  async rename(from: string, to: string): Promise<void> {
    const source = await this.open(from);
    const target = await this.open(to);
    if (source.client !== target.client) {
      throw new WebHdfsFileSystemError('failed', from, `Cannot rename ${from} to ${to}: they are on different namenodes.`);
    }
    const client = source.client;
    if (!(await this.run('rename', from, client, () => client.getFileStatus(source.location.path)))) {
      throw new WebHdfsFileSystemError('not-found', from, `Cannot rename ${from} to ${to}: ${from} does not exist.`);
    }
    if (await this.run('rename', to, client, () => client.getFileStatus(target.location.path))) {
      throw new WebHdfsFileSystemError('already-exists', to, `Cannot rename ${from} to ${to}: the target exists.`);
    }
    try {
      await this.renameVerified(client, source.location.path, target.location.path, from, to);
    } catch (error) {
      throw translateWebHdfsError(error, this.context(`rename to ${to}`, from, client));
    }
  }

  /** Makes the target's parent, renames, and checks that the source is gone and the target there. */
  private async renameVerified(client: WebHdfsClient, source: string, target: string, sourceUri: string, targetUri: string): Promise<void> {
    await client.mkdirs(parentOf(target));
    const answered = await client.rename(source, target);
    const [sourceLeft, targetThere] = [await client.getFileStatus(source), await client.getFileStatus(target)];
    if (sourceLeft !== undefined || targetThere === undefined) {
      throw new WebHdfsFileSystemError('not-verified', targetUri,
        `Renaming ${sourceUri} to ${targetUri} did not take effect (the namenode answered ${answered === undefined ? 'without a result' : String(answered)}; ` +
        `source ${sourceLeft ? 'still there' : 'gone'}, target ${targetThere ? 'there' : 'missing'}).`);
    }
  }

  private async deleteVerified(client: WebHdfsClient, path: string, uri: string, recursive: boolean): Promise<void> {
    const answered = await client.delete(path, recursive);
    if ((await client.getFileStatus(path)) !== undefined) {
      throw new WebHdfsFileSystemError('not-verified', uri,
        `Deleting ${uri} did not take effect: it still exists (the namenode answered ${answered === undefined ? 'without a result' : String(answered)}).`);
    }
  }

  /** Best-effort removal of a temporary file; a failure is logged, not thrown (the original error matters more). */
  private async deleteQuietly(client: WebHdfsClient, path: string): Promise<void> {
    try {
      await client.delete(path, false);
    } catch (error) {
      this.options.logger?.warn({ err: error, path, endpoint: client.endpoint }, 'Could not remove a temporary WebHDFS file');
    }
  }

  /** Resolves a URI and gets (or creates) its namenode's client. */
  private async open(uri: string): Promise<{ location: WebHdfsLocation; client: WebHdfsClient }> {
    const location = resolveWebHdfsLocation(uri, this.config);
    const key = `${location.host}:${location.port}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.createClient(location.host, location.port, this.config.user);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return { location, client: await client };
  }

  /** Runs a client call and translates its failure. */
  private async run<T>(operation: string, uri: string, client: WebHdfsClient, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw translateWebHdfsError(error, this.context(operation, uri, client));
    }
  }

  private context(operation: string, uri: string, client: WebHdfsClient) {
    return { operation, uri, endpoint: client.endpoint, user: client.user };
  }

  private retryOptions() {
    return {
      ...(this.options.retryPolicy !== undefined && { policy: this.options.retryPolicy }),
      ...(this.options.sleep !== undefined && { sleep: this.options.sleep }),
      ...(this.options.random !== undefined && { random: this.options.random }),
    };
  }
}

/** What the output stream needs from the file system. */
interface OutputStreamHooks {
  /** Moves the finished temporary file to its name. */
  commit(): Promise<void>;
  /** Removes the temporary file. */
  discard(): Promise<void>;
  translate(error: unknown): Error;
}

/** An upload to a temporary file, renamed to the target on close. */
class WebHdfsOutputStream implements FsOutputStream {
  private written = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(private readonly upload: HdfsUpload, private readonly hooks: OutputStreamHooks) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.state !== 'open') throw new Error(`Cannot write to a ${this.state} stream`);
    try {
      await this.upload.write(chunk);
    } catch (error) {
      throw this.hooks.translate(error);
    }
    this.written += chunk.length;
  }

  async close(): Promise<number> {
    if (this.state === 'closed') return this.written;
    if (this.state === 'aborted') throw new Error('Cannot close an aborted stream');
    try {
      await this.upload.finish();
    } catch (error) {
      await this.hooks.discard();
      throw this.hooks.translate(error);
    }
    try {
      await this.hooks.commit();
    } catch (error) {
      throw this.hooks.translate(error);
    }
    this.state = 'closed';
    return this.written;
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.upload.abort();
    await this.hooks.discard();
  }
}

function toFileStatus(uri: string, status: HdfsFileStatus): FileStatus {
  const isDirectory = status.type === 'DIRECTORY';
  return { path: uri, isDirectory, length: isDirectory ? 0 : status.length, modificationTime: status.modificationTime };
}

/** The URI of `name` inside the location's directory ('' for the location itself). */
function childUri(location: WebHdfsLocation, name: string): string {
  const dir = location.path === '/' ? '' : location.path;
  return name === '' ? `${location.base}${dir || '/'}` : `${location.base}${dir}/${name}`;
}

/** A hidden name beside `path` for a file being written. */
function temporaryPath(path: string): string {
  const parent = parentOf(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return `${parent === '/' ? '' : parent}/.${name}.inprogress.${randomBytes(8).toString('hex')}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function shorterThanExpected(path: string, offset: number, length: number, got: number): WebHdfsFileSystemError {
  return new WebHdfsFileSystemError('out-of-range', path,
    `File ${path} is shorter than expected: wanted ${length} bytes at offset ${offset}, got ${got}.`);
}
