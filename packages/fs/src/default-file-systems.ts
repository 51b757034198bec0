/**
 * The file systems a tsflink process serves: file:// always; s3:// (with
 * Flink's aliases s3a:// and s3p://) and hdfs:// / webhdfs:// as lazy
 * factories. A remote file system's module, and with it the AWS SDK or the
 * `webhdfs` package, is imported only when a path of its scheme is first used.
 */
import type { Configuration, Logger } from '@tsflink/core';
import type { FileSystem } from './file-system.js';
import { FileSystemRegistry } from './file-system-registry.js';

/** Collaborators handed to the remote file systems. */
export interface DefaultFileSystemsOptions {
  /** Where retries and clean-up problems are logged. */
  logger?: Logger;
}

/** A registry with file://, s3:// (s3a, s3p) and hdfs:// (webhdfs) configured from `config`. */
export function createDefaultFileSystemRegistry(config: Configuration, options: DefaultFileSystemsOptions = {}): FileSystemRegistry {
  const registry = new FileSystemRegistry();
  const logger = options.logger === undefined ? {} : { logger: options.logger };

  // One instance serves all S3 schemes (and all HDFS schemes): one SDK client, one connection pool.
  let s3: Promise<FileSystem> | undefined;
  const s3Factory = (): Promise<FileSystem> => {
    s3 ??= import('./s3/s3-file-system.js').then(({ S3FileSystem }) => S3FileSystem.fromConfiguration(config, logger));
    s3.catch(() => { s3 = undefined; });
    return s3;
  };
  let hdfs: Promise<FileSystem> | undefined;
  const hdfsFactory = (): Promise<FileSystem> => {
    hdfs ??= import('./hdfs/webhdfs-file-system.js').then(({ WebHdfsFileSystem }) => WebHdfsFileSystem.fromConfiguration(config, logger));
    hdfs.catch(() => { hdfs = undefined; });
    return hdfs;
  };

  for (const scheme of ['s3', 's3a', 's3p']) registry.register(scheme, s3Factory);
  for (const scheme of ['hdfs', 'webhdfs']) registry.register(scheme, hdfsFactory);
  return registry;
}
