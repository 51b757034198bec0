export type { FileSystem, FileStatus, FsOutputStream } from './file-system.js';
export { LocalFileSystem } from './local-file-system.js';
export { FileSystemRegistry, UnsupportedFileSystemSchemeError } from './file-system-registry.js';
export type { FileSystemFactory } from './file-system-registry.js';
export { schemeOf, normalizeUri, joinPath, baseName, parentPath, displayPath, localPathOf } from './uri.js';
