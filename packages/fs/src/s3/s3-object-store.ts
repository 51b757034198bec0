/**
 * The narrow view of an S3 store that S3FileSystem needs. The only real
 * implementation, AwsS3ObjectStore, wraps the AWS SDK; tests may supply a
 * hand-written one. Every method fails with an S3FileSystemError naming the object.
 */

/** An object's key, size and modification time. */
export interface S3ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly lastModified: number;
}

/** One page of a listing. */
export interface S3ListPage {
  readonly objects: readonly S3ObjectInfo[];
  /** Pass to the next call to continue; undefined on the last page. */
  readonly continuationToken: string | undefined;
}

/** A byte range of an object. */
export interface S3ByteRange {
  readonly offset: number;
  /** At least 1. */
  readonly length: number;
}

/** An upload in progress. Nothing is visible under the key until {@link complete} resolves. */
export interface S3MultipartUpload {
  /** Hands bytes to the upload; resolves when it can take more (back-pressure), rejects once the upload failed. */
  write(chunk: Buffer): Promise<void>;
  /** Uploads the rest and completes the upload: the whole object appears at once. */
  complete(): Promise<void>;
  /** Stops the upload and discards the parts uploaded so far; the key is left untouched. */
  abort(): Promise<void>;
}

/** Largest number of keys one batch delete may name (S3's limit). */
export const MAX_DELETE_BATCH = 1000;

export interface S3ObjectStore {
  /** The endpoint as messages name it (the configured URL, or AWS S3). */
  readonly endpoint: string;
  /** Stores a whole object with one PUT: it appears atomically, replacing any previous version. */
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  /** Reads an object, or a range of it (a Range GET; may return fewer bytes at the end of the object). */
  getObject(bucket: string, key: string, range?: S3ByteRange): Promise<Buffer>;
  /** The object's metadata, or undefined when there is no such object (HEAD cannot tell a missing bucket apart). */
  headObject(bucket: string, key: string): Promise<S3ObjectInfo | undefined>;
  /** One page of the objects whose keys start with `prefix`, in key order (no delimiter). */
  listObjects(bucket: string, prefix: string, options?: { continuationToken?: string; maxKeys?: number }): Promise<S3ListPage>;
  /** Deletes up to {@link MAX_DELETE_BATCH} objects in one request; missing keys are not an error. */
  deleteObjects(bucket: string, keys: readonly string[]): Promise<void>;
  /** Copies an object inside a bucket (server side). */
  copyObject(bucket: string, sourceKey: string, targetKey: string): Promise<void>;
  /** Starts a streamed upload; large objects go up in parts. */
  startUpload(bucket: string, key: string): S3MultipartUpload;
  /** Releases connections. */
  close(): void;
}
