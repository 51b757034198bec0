/**
 * Where a snapshot writes its bytes. The storage layer supplies the implementation
 * (a file, an S3 multipart upload, a memory buffer in tests).
 *
 * Writers hand over each chunk (≥ 1 MiB except the last). A returned promise is
 * awaited before the next chunk is handed over: that is the back-pressure (the
 * writer may encode the next chunk meanwhile). By default a chunk is never touched
 * again once handed over, so an implementation may keep the Buffer until it is
 * written; one that sets {@link releasesChunks} promises it no longer needs a
 * chunk once its write settled, so the writer may reuse the chunk's buffer.
 */
export interface StateOutputStream {
  write(chunk: Buffer): Promise<void> | void;
  /**
   * True when the stream has written or copied a chunk by the time its write()
   * settled (a local file: the bytes went to the kernel), so the writer may
   * overwrite the buffer afterwards. Absent or false: every chunk is a fresh buffer.
   */
  readonly releasesChunks?: boolean;
}

/**
 * A random-access byte source over a previously written snapshot, supplied by the
 * storage layer for restores (a ranged file read, an S3 ranged GET).
 */
export type StateByteReader = (offset: number, length: number) => Promise<Buffer>;
