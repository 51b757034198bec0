/**
 * The narrow view of one WebHDFS namenode that WebHdfsFileSystem needs. The
 * real implementation, DefaultWebHdfsClient, wraps the `webhdfs` npm package
 * and puts a timeout on every call and retries on the idempotent ones. Paths
 * are absolute HDFS paths ('/a/b'). Failures are WebHdfsRemoteError (error
 * answers), network errors, or RemoteCallTimeoutError.
 */

/** An entry's status as the namenode reports it. */
export interface HdfsFileStatus {
  /** The entry's name inside the listed directory; '' for GETFILESTATUS. */
  readonly pathSuffix: string;
  readonly type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  readonly length: number;
  /** Milliseconds since the epoch. */
  readonly modificationTime: number;
}

/** A file being written through a datanode. */
export interface HdfsUpload {
  /** Sends bytes on; resolves when more can be taken, rejects once the upload failed. Calls must not overlap. */
  write(chunk: Buffer): Promise<void>;
  /** Ends the upload and waits for the datanode to confirm it. */
  finish(): Promise<void>;
  /** Ends the upload early (what was sent stays in the file; delete it afterwards) and waits for it to settle. */
  abort(): Promise<void>;
}

export interface WebHdfsClient {
  /** The namenode's WebHDFS endpoint, host:port. */
  readonly endpoint: string;
  /** The HDFS user the calls run as. */
  readonly user: string;
  /** GETFILESTATUS, or undefined when the path does not exist. */
  getFileStatus(path: string): Promise<HdfsFileStatus | undefined>;
  /** LISTSTATUS, or undefined when the path does not exist. */
  listStatus(path: string): Promise<HdfsFileStatus[] | undefined>;
  /** MKDIRS; the boolean the namenode answered (undefined if the answer had none). */
  mkdirs(path: string): Promise<boolean | undefined>;
  /** RENAME; the boolean the namenode answered. The effect must be verified: the answer may be false without an error. */
  rename(source: string, destination: string): Promise<boolean | undefined>;
  /** DELETE; the boolean the namenode answered (false also for a missing path). */
  delete(path: string, recursive: boolean): Promise<boolean | undefined>;
  /** OPEN, following the redirect to a datanode: the whole file, or `length` bytes (fewer at the end) from `offset`. */
  read(path: string, range?: { offset: number; length: number }): Promise<Buffer>;
  /** CREATE, streamed to a datanode. With overwrite=false an existing file fails the upload. */
  createFile(path: string, overwrite: boolean): HdfsUpload;
}
