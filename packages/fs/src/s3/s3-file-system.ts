/**
 * s3:// (and s3a://, s3p://) on an {@link S3ObjectStore}.
 *
 * S3 has objects, not directories, so directories are key prefixes:
 * - `mkdirs` does nothing; a directory exists while some object lies under `dir/`;
 * - `list` and recursive `delete` list by prefix without a delimiter (s3rver and
 *   some S3-compatible stores drop deeper prefixes when listing with `Delimiter`),
 *   so they read every key below the directory, page by page;
 * - `writeFileAtomic` is a single PUT (atomic on S3); `create` streams into a
 *   multipart upload, so nothing is visible until `close()`;
 * - `rename` is copy + delete: NOT atomic, and it costs a copy of every byte.
 *   tsflink renames only small files; a crash midway can leave both names.
 * - `create` and `rename` refuse an existing target, checked with a HEAD first:
 *   S3 has no exclusive create, so concurrent writers of one key are not detected.
 */
import type { Configuration } from '@tsflink/core';
import type { FileStatus, FileSystem, FsOutputStream } from '../file-system.js';
import { S3FileSystemError } from './s3-errors.js';
import { MAX_DELETE_BATCH, type S3ObjectInfo, type S3ObjectStore } from './s3-object-store.js';
import { directoryPrefix, parseS3Uri, s3Uri, type S3Location } from './s3-uri.js';
import { resolveS3Config } from './s3-config.js';
import type { AwsS3ObjectStoreOptions } from './aws-s3-object-store.js';
import { S3OutputStream } from './s3-output-stream.js';

export class S3FileSystem implements FileSystem {
  readonly scheme = 's3';

  constructor(private readonly store: S3ObjectStore) {}

  /**
   * The S3 file system of a process: resolves the `s3.*` options and loads the
   * AWS SDK (dynamic import), so only a process that uses s3:// pays for it.
   */
  static async fromConfiguration(config: Configuration, options: AwsS3ObjectStoreOptions = {}): Promise<S3FileSystem> {
    const { AwsS3ObjectStore } = await import('./aws-s3-object-store.js');
    return new S3FileSystem(await AwsS3ObjectStore.create(resolveS3Config(config), options));
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== undefined;
  }

  /** A file when the object exists; else a directory when any object lies under `path/`; the bucket root is always a directory. */
  async stat(path: string): Promise<FileStatus | undefined> {
    const location = parseS3Uri(path);
    if (location.key !== '') {
      const object = await this.store.headObject(location.bucket, location.key);
      if (object !== undefined) return fileStatus(location, object);
    }
    // Also tells a missing bucket (NoSuchBucket) from a missing key, which HEAD cannot.
    const page = await this.store.listObjects(location.bucket, directoryPrefix(location.key), { maxKeys: 1 });
    if (location.key !== '' && page.objects.length === 0) return undefined;
    return directoryStatus(location, location.key);
  }

  /** Direct children: objects right under `path/` and the first segment of deeper keys as directories, sorted by name. */
  async list(path: string): Promise<FileStatus[]> {
    const location = parseS3Uri(path);
    const prefix = directoryPrefix(location.key);
    const files = new Map<string, FileStatus>();
    const directories = new Map<string, FileStatus>();
    for await (const object of this.objectsUnder(location.bucket, prefix)) {
      const rest = object.key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        if (rest !== '') files.set(rest, fileStatus(location, object));
      } else if (slash > 0) {
        const name = rest.slice(0, slash);
        if (!directories.has(name)) directories.set(name, directoryStatus(location, prefix + name));
      }
    }
    return [...files.values(), ...[...directories.entries()].filter(([name]) => !files.has(name)).map(([, status]) => status)]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Nothing to do: S3 directories exist through the objects under them. */
  async mkdirs(path: string): Promise<void> {
    parseS3Uri(path);
  }

  async readFile(path: string): Promise<Buffer> {
    const location = parseS3Uri(path);
    return this.store.getObject(location.bucket, location.key);
  }

  async readRange(path: string, offset: number, length: number): Promise<Buffer> {
    const location = parseS3Uri(path);
    if (length === 0) {
      const object = await this.store.headObject(location.bucket, location.key);
      if (object === undefined) throw new S3FileSystemError('not-found', path, `File ${path} does not exist.`);
      if (object.size < offset) throw shorterThanExpected(path, offset, length, 0);
      return Buffer.alloc(0);
    }
    let data: Buffer;
    try {
      data = await this.store.getObject(location.bucket, location.key, { offset, length });
    } catch (error) {
      if (error instanceof S3FileSystemError && error.reason === 'out-of-range') throw shorterThanExpected(path, offset, length, 0);
      throw error;
    }
    if (data.length < length) throw shorterThanExpected(path, offset, length, data.length);
    return data;
  }

  /** One PUT: readers see the old object or the new one, never a part. */
  async writeFileAtomic(path: string, data: Buffer): Promise<void> {
    const location = parseS3Uri(path);
    await this.store.putObject(location.bucket, location.key, data);
  }

  async create(path: string): Promise<FsOutputStream> {
    const location = parseS3Uri(path);
    if (await this.store.headObject(location.bucket, location.key)) {
      throw new S3FileSystemError('already-exists', path, `Cannot create ${path}: the file already exists.`);
    }
    return new S3OutputStream(this.store.startUpload(location.bucket, location.key));
  }

  /**
   * Deletes the object `path`, and with `recursive` every object under `path/`
   * too: all keys are listed first, then deleted in batches of up to 1000. A non-recursive delete of a directory
   * that has objects under it fails.
   */
  async delete(path: string, recursive: boolean): Promise<void> {
    const location = parseS3Uri(path);
    const prefix = directoryPrefix(location.key);
    if (!recursive) {
      const object = location.key === '' ? undefined : await this.store.headObject(location.bucket, location.key);
      if (object !== undefined) {
        await this.store.deleteObjects(location.bucket, [location.key]);
        return;
      }
      const page = await this.store.listObjects(location.bucket, prefix, { maxKeys: 2 });
      // A "directory marker" object (key ending in '/') alone makes an empty directory.
      const children = page.objects.filter((o) => o.key !== prefix);
      if (children.length > 0) {
        throw new S3FileSystemError('not-empty', path, `Cannot delete ${path}: the directory is not empty (delete it recursively).`);
      }
      if (page.objects.length > 0) await this.store.deleteObjects(location.bucket, [prefix]);
      return;
    }
    // List everything first, then delete: deleting while paging could make a store skip keys.
    const keys: string[] = location.key === '' ? [] : [location.key];
    for await (const object of this.objectsUnder(location.bucket, prefix)) keys.push(object.key);
    for (let i = 0; i < keys.length; i += MAX_DELETE_BATCH) {
      await this.store.deleteObjects(location.bucket, keys.slice(i, i + MAX_DELETE_BATCH));
    }
  }

  /**
   * Copy + delete, NOT atomic: meant for small files. A directory is renamed
   * object by object. Fails when the target exists; both must be in one bucket.
   */
  async rename(from: string, to: string): Promise<void> {
    const source = parseS3Uri(from);
    const target = parseS3Uri(to);
    if (source.bucket !== target.bucket) {
      throw new S3FileSystemError('failed', from, `Cannot rename ${from} to ${to}: both must be in the same bucket.`);
    }
    if (await this.exists(to)) {
      throw new S3FileSystemError('already-exists', to, `Cannot rename ${from} to ${to}: the target exists.`);
    }
    const object = source.key === '' ? undefined : await this.store.headObject(source.bucket, source.key);
    if (object !== undefined) {
      await this.store.copyObject(source.bucket, source.key, target.key);
      await this.store.deleteObjects(source.bucket, [source.key]);
      return;
    }
    const sourcePrefix = directoryPrefix(source.key);
    const moved: string[] = [];
    for await (const child of this.objectsUnder(source.bucket, sourcePrefix)) {
      await this.store.copyObject(source.bucket, child.key, directoryPrefix(target.key) + child.key.slice(sourcePrefix.length));
      moved.push(child.key);
    }
    if (moved.length === 0) throw new S3FileSystemError('not-found', from, `Cannot rename ${from}: it does not exist.`);
    for (let i = 0; i < moved.length; i += MAX_DELETE_BATCH) {
      await this.store.deleteObjects(source.bucket, moved.slice(i, i + MAX_DELETE_BATCH));
    }
  }

  /** Releases the store's connections. */
  close(): void {
    this.store.close();
  }

  /** Every object whose key starts with `prefix`, following continuation tokens. */
  private async *objectsUnder(bucket: string, prefix: string): AsyncGenerator<S3ObjectInfo> {
    let continuationToken: string | undefined;
    do {
      const page = await this.store.listObjects(bucket, prefix, continuationToken === undefined ? {} : { continuationToken });
      yield* page.objects;
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
  }
}

function fileStatus(location: S3Location, object: S3ObjectInfo): FileStatus {
  return { path: s3Uri(location, object.key), isDirectory: false, length: object.size, modificationTime: object.lastModified };
}

function directoryStatus(location: S3Location, key: string): FileStatus {
  return { path: s3Uri(location, key), isDirectory: true, length: 0, modificationTime: 0 };
}

function shorterThanExpected(path: string, offset: number, length: number, got: number): S3FileSystemError {
  return new S3FileSystemError('out-of-range', path,
    `File ${path} is shorter than expected: wanted ${length} bytes at offset ${offset}, got ${got}.`);
}
