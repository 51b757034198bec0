import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { PassThrough } from 'node:stream';
import type { Logger } from '@tsflink/core';
import { DEFAULT_RETRY_POLICY, withTimeout, type RetryPolicy, type Sleep } from '../retry.js';
import { DrainOrFailure } from '../drain-or-failure.js';
import { ClassifierRetryStrategy } from './classifier-retry-strategy.js';
import { describeS3Endpoint, type S3Config } from './s3-config.js';
import { S3FileSystemError, translateS3Error } from './s3-errors.js';
import type { S3ByteRange, S3ListPage, S3MultipartUpload, S3ObjectInfo, S3ObjectStore } from './s3-object-store.js';
import { MAX_DELETE_BATCH } from './s3-object-store.js';
import { s3Uri } from './s3-uri.js';

/**
 * S3ObjectStore on the AWS SDK v3 (the S3 client, and lib-storage's Upload for
 * multipart uploads). Both SDK modules are loaded with a dynamic import in
 * {@link AwsS3ObjectStore.create}, so a process that never meets s3:// never loads them.
 *
 * Timeouts: every call runs under `callTimeoutMs` (retries included), and every
 * HTTP request under the SDK's connection and socket-inactivity timeouts (which
 * also bound each part of a multipart upload). Retries: the SDK client retries
 * with {@link ClassifierRetryStrategy}, i.e. tsflink's classifier and budget.
 */
export class AwsS3ObjectStore implements S3ObjectStore {
  readonly endpoint: string;

  private constructor(
    private readonly sdk: typeof S3Sdk,
    private readonly storage: typeof LibStorage,
    private readonly client: S3Sdk.S3Client,
    config: S3Config,
    private readonly options: ResolvedOptions,
  ) {
    this.endpoint = describeS3Endpoint(config);
  }

  /** Loads the SDK and creates the client from the resolved `s3.*` options. */
  static async create(config: S3Config, options: AwsS3ObjectStoreOptions = {}): Promise<AwsS3ObjectStore> {
    const sdk = await import('@aws-sdk/client-s3');
    const storage = await import('@aws-sdk/lib-storage');
    const resolved = resolveOptions(options);
    const logger = options.logger;
    const retryStrategy = new ClassifierRetryStrategy({
      policy: resolved.retryPolicy,
      ...(options.sleep !== undefined && { sleep: options.sleep }),
      ...(options.random !== undefined && { random: options.random }),
      onRetry: (event) => logger?.warn(
        { attempt: event.attempt, kind: event.kind, delayMs: event.delayMs, err: event.error },
        `S3 request failed (${event.kind}), retrying in ${event.delayMs} ms (attempt ${event.attempt + 1} of ${resolved.retryPolicy.maxAttempts})`,
      ),
    });
    const client = new sdk.S3Client({
      ...(config.endpoint !== undefined && { endpoint: config.endpoint }),
      ...(config.region !== undefined && { region: config.region }),
      ...(config.credentials !== undefined && { credentials: config.credentials }),
      forcePathStyle: config.pathStyleAccess,
      requestChecksumCalculation: config.requestChecksumCalculation,
      responseChecksumValidation: config.responseChecksumValidation,
      maxAttempts: resolved.retryPolicy.maxAttempts,
      retryStrategy,
      requestHandler: { connectionTimeout: resolved.connectionTimeoutMs, socketTimeout: resolved.socketTimeoutMs },
    });
    return new AwsS3ObjectStore(sdk, storage, client, config, resolved);
  }

  async putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    await this.call('write', bucket, key, (abortSignal) =>
      this.client.send(new this.sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }), { abortSignal }));
  }

  async getObject(bucket: string, key: string, range?: S3ByteRange): Promise<Buffer> {
    return this.call('read', bucket, key, async (abortSignal) => {
      const response = await this.client.send(new this.sdk.GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(range !== undefined && { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` }),
      }), { abortSignal });
      const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array(0);
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // A store that ignores Range answers 200 with the whole object: cut the range out ourselves.
      if (range !== undefined && response.ContentRange === undefined && data.length > range.length) {
        return data.subarray(range.offset, range.offset + range.length);
      }
      return data;
    });
  }

  async headObject(bucket: string, key: string): Promise<S3ObjectInfo | undefined> {
    try {
      return await this.call('stat', bucket, key, async (abortSignal) => {
        const response = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        return { key, size: response.ContentLength ?? 0, lastModified: response.LastModified?.getTime() ?? 0 };
      });
    } catch (error) {
      if (error instanceof S3FileSystemError && error.reason === 'not-found') return undefined;
      throw error;
    }
  }

  async listObjects(bucket: string, prefix: string, options: { continuationToken?: string; maxKeys?: number } = {}): Promise<S3ListPage> {
    return this.call('list', bucket, prefix, async (abortSignal) => {
      const response = await this.client.send(new this.sdk.ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(options.continuationToken !== undefined && { ContinuationToken: options.continuationToken }),
        ...(options.maxKeys !== undefined && { MaxKeys: options.maxKeys }),
      }), { abortSignal });
      const objects = (response.Contents ?? []).map((o) => ({
        key: o.Key ?? '',
        size: o.Size ?? 0,
        lastModified: o.LastModified?.getTime() ?? 0,
      }));
      return { objects, continuationToken: response.IsTruncated ? response.NextContinuationToken : undefined };
    });
  }

  async deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (keys.length > MAX_DELETE_BATCH) throw new RangeError(`At most ${MAX_DELETE_BATCH} keys per batch delete, got ${keys.length}`);
    await this.call('delete', bucket, keys[0]!, async (abortSignal) => {
      const response = await this.client.send(new this.sdk.DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }), { abortSignal });
      const failed = response.Errors?.[0];
      if (failed !== undefined) {
        // Per-key failures come back inside a 200 answer: raise the first one like a failed request.
        throw Object.assign(new Error(failed.Message ?? 'delete failed'), { Code: failed.Code, key: failed.Key });
      }
    });
  }

  async copyObject(bucket: string, sourceKey: string, targetKey: string): Promise<void> {
    const target = s3Uri({ scheme: 's3', bucket }, targetKey);
    await this.call(`copy to ${target}`, bucket, sourceKey, (abortSignal) =>
      this.client.send(new this.sdk.CopyObjectCommand({
        Bucket: bucket,
        Key: targetKey,
        CopySource: `${bucket}/${encodeURIComponent(sourceKey).replace(/%2F/g, '/')}`,
      }), { abortSignal }));
  }

  startUpload(bucket: string, key: string): S3MultipartUpload {
    return new AwsMultipartUpload(this.storage, this.client, bucket, key, this.options, (error) =>
      translateS3Error(error, this.context('write', bucket, key)));
  }

  close(): void {
    this.client.destroy();
  }

  /** Runs one SDK call under the call time limit and translates its failure. */
  private async call<T>(operation: string, bucket: string, key: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const context = this.context(operation, bucket, key);
    try {
      return await withTimeout(`S3 ${operation} of ${context.uri}`, this.options.callTimeoutMs, send);
    } catch (error) {
      throw translateS3Error(error, context);
    }
  }

  private context(operation: string, bucket: string, key: string) {
    return { operation, bucket, uri: s3Uri({ scheme: 's3', bucket }, key), endpoint: this.endpoint };
  }
}

/** Tuning and collaborators of {@link AwsS3ObjectStore}. */
export interface AwsS3ObjectStoreOptions {
  /** Retry budget and pauses; default {@link DEFAULT_RETRY_POLICY}. */
  retryPolicy?: RetryPolicy;
  /** Used for the pauses between attempts. */
  sleep?: Sleep;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Retries are logged here at warn level. */
  logger?: Logger;
  /** Time limit of one store call, retries included; default 120 s. */
  callTimeoutMs?: number;
  /** Time limit to open a connection; default 5 s. */
  connectionTimeoutMs?: number;
  /** A request fails when its socket sees no traffic for this long; default 30 s. */
  socketTimeoutMs?: number;
  /** Part size of multipart uploads; at least 5 MiB (S3's minimum), default 8 MiB. */
  partSize?: number;
  /** Parts uploaded in parallel (each buffered in memory); default 4. */
  queueSize?: number;
}

/** S3's smallest part size for all parts but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

interface ResolvedOptions {
  readonly retryPolicy: RetryPolicy;
  readonly callTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly partSize: number;
  readonly queueSize: number;
}

function resolveOptions(options: AwsS3ObjectStoreOptions): ResolvedOptions {
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (partSize < MIN_PART_SIZE) throw new RangeError(`S3 multipart part size must be at least ${MIN_PART_SIZE} bytes (5 MiB), got ${partSize}`);
  return {
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    callTimeoutMs: options.callTimeoutMs ?? 120_000,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 5_000,
    socketTimeoutMs: options.socketTimeoutMs ?? 30_000,
    partSize,
    queueSize: options.queueSize ?? 4,
  };
}

/** Signals the SDK's Upload to stop reading and abort the multipart upload. */
class UploadAbortedError extends Error {
  constructor() {
    super('upload aborted');
    this.name = 'UploadAbortedError';
  }
}

/**
 * A streamed upload through lib-storage's Upload: bytes go into a pipe the
 * Upload reads in parts of `partSize` (one PUT when the whole object is
 * smaller). The object appears only when the upload completes. Calls must not
 * overlap (each write is awaited before the next), as FsOutputStream requires.
 */
class AwsMultipartUpload implements S3MultipartUpload {
  private readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly finished: Promise<void>;
  private failure: unknown;
  private state: 'open' | 'completing' | 'aborted' = 'open';
  /** Rejects the write waiting for 'drain' when the upload fails meanwhile. */
  private readonly drain = new DrainOrFailure();

  constructor(
    storage: typeof LibStorage,
    client: S3Sdk.S3Client,
    bucket: string,
    key: string,
    options: ResolvedOptions,
    private readonly translate: (error: unknown) => S3FileSystemError,
  ) {
    const upload = new storage.Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: this.body },
      partSize: options.partSize,
      queueSize: options.queueSize,
      leavePartsOnError: false,
    });
    this.finished = upload.done().then(
      () => undefined,
      (error: unknown) => {
        this.failure = error;
        this.drain.fail(error);
        throw error;
      },
    );
    // Observed by write/complete/abort; never left unhandled.
    this.finished.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.state !== 'open') throw new Error(`Cannot write to an upload that is ${this.state === 'aborted' ? 'aborted' : 'being completed'}`);
    if (this.failure !== undefined) throw this.translate(this.failure);
    try {
      await this.drain.write(this.body, chunk);
    } catch (error) {
      throw this.translate(error);
    }
  }

  async complete(): Promise<void> {
    if (this.state === 'aborted') throw new Error('Cannot complete an aborted upload');
    if (this.state === 'open') {
      this.state = 'completing';
      this.body.end();
    }
    try {
      await this.finished;
    } catch (error) {
      throw this.translate(error);
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    // Failing the body makes the Upload stop reading and send AbortMultipartUpload before done() settles.
    this.body.destroy(new UploadAbortedError());
    await this.finished.catch(() => undefined);
  }
}
