/**
 * A hand-written in-memory S3ObjectStore for unit tests of S3FileSystem's own
 * logic (pagination, batching, prefix arithmetic) without a server. It records
 * the calls it gets, lists in pages of `pageSize` keys, and keeps uploads
 * invisible until completed, as S3 does.
 */
import { MAX_DELETE_BATCH, S3FileSystemError, type S3ByteRange, type S3ListPage, type S3MultipartUpload, type S3ObjectInfo, type S3ObjectStore } from '../src/index.js';

export class TestingS3ObjectStore implements S3ObjectStore {
  readonly endpoint = 'testing://memory';
  readonly objects = new Map<string, { data: Buffer; lastModified: number }>();
  /** Every call, e.g. 'list a/ token=300', 'delete 1000'. */
  readonly calls: string[] = [];

  constructor(readonly bucket = 'bucket', private readonly pageSize = 1000) {}

  async putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    this.check(bucket);
    this.calls.push(`put ${key}`);
    this.objects.set(key, { data: Buffer.from(body), lastModified: 1_700_000_000_000 });
  }

  async getObject(bucket: string, key: string, range?: S3ByteRange): Promise<Buffer> {
    this.check(bucket);
    this.calls.push(`get ${key}`);
    const object = this.objects.get(key);
    if (!object) throw new S3FileSystemError('not-found', `s3://${bucket}/${key}`, `File s3://${bucket}/${key} does not exist.`);
    if (range === undefined) return object.data;
    if (range.offset >= object.data.length) throw new S3FileSystemError('out-of-range', `s3://${bucket}/${key}`, 'range not satisfiable');
    return object.data.subarray(range.offset, range.offset + range.length);
  }

  async headObject(bucket: string, key: string): Promise<S3ObjectInfo | undefined> {
    this.check(bucket);
    this.calls.push(`head ${key}`);
    const object = this.objects.get(key);
    return object && { key, size: object.data.length, lastModified: object.lastModified };
  }

  async listObjects(bucket: string, prefix: string, options: { continuationToken?: string; maxKeys?: number } = {}): Promise<S3ListPage> {
    this.check(bucket);
    this.calls.push(`list ${prefix} token=${options.continuationToken ?? '-'}`);
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = options.continuationToken === undefined ? 0 : Number(options.continuationToken);
    const end = start + Math.min(this.pageSize, options.maxKeys ?? this.pageSize);
    const objects = keys.slice(start, end).map((key) => ({ key, size: this.objects.get(key)!.data.length, lastModified: 0 }));
    return { objects, continuationToken: end < keys.length ? String(end) : undefined };
  }

  async deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
    this.check(bucket);
    if (keys.length > MAX_DELETE_BATCH) throw new RangeError(`batch of ${keys.length}`);
    this.calls.push(`delete ${keys.length}`);
    for (const key of keys) this.objects.delete(key);
  }

  async copyObject(bucket: string, sourceKey: string, targetKey: string): Promise<void> {
    this.check(bucket);
    this.calls.push(`copy ${sourceKey} ${targetKey}`);
    const object = this.objects.get(sourceKey);
    if (!object) throw new S3FileSystemError('not-found', `s3://${bucket}/${sourceKey}`, 'no such key');
    this.objects.set(targetKey, { ...object });
  }

  startUpload(bucket: string, key: string): S3MultipartUpload {
    this.check(bucket);
    const parts: Buffer[] = [];
    return {
      write: async (chunk) => { parts.push(Buffer.from(chunk)); },
      complete: async () => { this.objects.set(key, { data: Buffer.concat(parts), lastModified: 1_700_000_000_000 }); },
      abort: async () => { parts.length = 0; },
    };
  }

  close(): void {}

  private check(bucket: string): void {
    if (bucket !== this.bucket) {
      throw new S3FileSystemError('bucket-not-found', `s3://${bucket}`, `The bucket '${bucket}' does not exist (s3://${bucket}).`);
    }
  }
}
