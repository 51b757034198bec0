/**
 * Where a snapshot writes its bytes. The storage layer supplies the implementation
 * (a file, an S3 multipart upload, a memory buffer in tests).
 *
 * Writers hand over each chunk (≥ 1 MiB except the last) and never touch it again,
 * so an implementation may keep the Buffer until it is written. A returned promise
 * is awaited before the next chunk: that is the back-pressure.
 */
export interface StateOutputStream {
  write(chunk: Buffer): Promise<void> | void;
}

/**
 * A random-access byte source over a previously written snapshot, supplied by the
 * storage layer for restores (a ranged file read, an S3 ranged GET).
 */
export type StateByteReader = (offset: number, length: number) => Promise<Buffer>;
