import type { FileSystem } from './file-system.js';
import { LocalFileSystem } from './local-file-system.js';
import { schemeOf } from './uri.js';

/**
 * Creates the FileSystem for a scheme. Remote schemes are registered as lazy
 * factories, so a process loads the AWS SDK or the WebHDFS client only when it
 * meets that scheme.
 */
export type FileSystemFactory = () => Promise<FileSystem>;

/** Thrown for a path whose scheme no file system serves. */
export class UnsupportedFileSystemSchemeError extends Error {
  constructor(readonly scheme: string, path: string, supported: string[]) {
    super(`Could not find a file system implementation for scheme '${scheme}' (path '${path}'). Supported schemes: ${supported.join(', ')}.`);
    this.name = 'UnsupportedFileSystemSchemeError';
  }
}

/** Holds one FileSystem instance per scheme for a process; created with the process's configuration. */
export class FileSystemRegistry {
  private readonly factories = new Map<string, FileSystemFactory>();
  private readonly instances = new Map<string, Promise<FileSystem>>();

  constructor() {
    const local = new LocalFileSystem();
    this.register('file', async () => local);
  }

  register(scheme: string, factory: FileSystemFactory): this {
    this.factories.set(scheme.toLowerCase(), factory);
    this.instances.delete(scheme.toLowerCase());
    return this;
  }

  /** The FileSystem serving `path`'s scheme. */
  async get(path: string): Promise<FileSystem> {
    const scheme = schemeOf(path);
    let fs = this.instances.get(scheme);
    if (!fs) {
      const factory = this.factories.get(scheme);
      if (!factory) throw new UnsupportedFileSystemSchemeError(scheme, path, [...this.factories.keys()].sort());
      fs = factory();
      this.instances.set(scheme, fs);
      fs.catch(() => this.instances.delete(scheme));
    }
    return fs;
  }
}
