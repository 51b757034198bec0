/**
 * The FileSystem interface every state backend storage goes through. Paths are
 * URIs (`file:///tmp/x`, `s3://bucket/key`, `hdfs://nn:8020/p`); plain absolute
 * paths are accepted as `file://`. Implementations: LocalFileSystem (file://),
 * S3 and WebHDFS, loaded lazily by scheme (see file-system-registry.ts).
 */

export interface FileStatus {
  /** Full URI of the entry. */
  path: string;
  isDirectory: boolean;
  /** Size in bytes (0 for directories). */
  length: number;
  modificationTime: number;
}

/** A file being written. Nothing is visible under the target name before `close()` resolves (where the store allows). */
export interface FsOutputStream {
  write(chunk: Buffer): Promise<void>;
  /** Flushes, makes the file durable (fsync or upload completion) and returns the bytes written. */
  close(): Promise<number>;
  /** Drops what was written; the target is left untouched. */
  abort(): Promise<void>;
}

export interface FileSystem {
  /** The URI scheme this implementation serves, e.g. 'file'. */
  readonly scheme: string;
  exists(path: string): Promise<boolean>;
  /** The entry's status, or undefined if it does not exist. */
  stat(path: string): Promise<FileStatus | undefined>;
  /** Direct children of a directory (empty if it does not exist). */
  list(path: string): Promise<FileStatus[]>;
  mkdirs(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  /** Reads `length` bytes at `offset`; fails if the file is shorter. */
  readRange(path: string, offset: number, length: number): Promise<Buffer>;
  /** Writes a whole file, replacing it atomically (temp name + rename, or a single PUT). */
  writeFileAtomic(path: string, data: Buffer): Promise<void>;
  /** Opens a streaming writer for a new file. */
  create(path: string): Promise<FsOutputStream>;
  /** Deletes a file, or a directory with everything below it when `recursive`. Missing paths are not an error. */
  delete(path: string, recursive: boolean): Promise<void>;
  /** Renames a file or directory; fails if the target exists. */
  rename(from: string, to: string): Promise<void>;
}
