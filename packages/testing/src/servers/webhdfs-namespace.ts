/**
 * The directory tree of the WebHDFS test server: HDFS namespace semantics on a
 * local directory, shared by its namenode and datanode. Failures are thrown as
 * the RemoteExceptions a real cluster answers with.
 *
 * Semantics followed (Hadoop's FileSystem/ClientProtocol):
 * - paths are absolute; `.` and `..` segments are invalid (400);
 * - create makes missing parents; an existing file with overwrite=false, or a
 *   directory at the path, is FileAlreadyExistsException (403); a file among the
 *   parents is ParentNotDirectoryException (403);
 * - mkdirs answers true, also when the directory exists; a file in the way is 403;
 * - rename answers false (not an error) when the source is missing, the target
 *   is an existing file, the target's parent is missing, or the target lies
 *   inside the source; onto an existing directory it moves the source into it;
 * - delete answers false for a missing path; a non-empty directory without
 *   recursive=true is PathIsNotEmptyDirectoryException (403).
 *
 * Owners are not tracked: every entry reports the server's user.
 */
import { createReadStream, createWriteStream, promises as fsp, type Stats, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RemoteException } from './webhdfs-remote-exception.js';

/** A WebHDFS FileStatus object, as GETFILESTATUS and LISTSTATUS return it. */
export interface WebHdfsFileStatusJson {
  accessTime: number;
  blockSize: number;
  childrenNum: number;
  fileId: number;
  group: string;
  length: number;
  modificationTime: number;
  owner: string;
  pathSuffix: string;
  permission: string;
  replication: number;
  storagePolicy: number;
  type: 'FILE' | 'DIRECTORY';
}

const BLOCK_SIZE = 134_217_728;

export class WebHdfsNamespace {
  constructor(readonly root: string, private readonly owner: string) {}

  /** Checks and normalises an HDFS path: '/a//b/' → '/a/b'. */
  static normalize(path: string): string {
    if (!path.startsWith('/')) throw RemoteException.illegalArgument(`Invalid path name ${path}: not absolute`);
    const segments = path.split('/').filter((s) => s !== '');
    if (segments.some((s) => s === '.' || s === '..' || s.includes('\0'))) {
      throw new RemoteException(400, 'InvalidPathException', `Invalid path name Invalid file name: ${path}`);
    }
    return '/' + segments.join('/');
  }

  /** GETFILESTATUS: the status with an empty pathSuffix. */
  async getFileStatus(path: string): Promise<WebHdfsFileStatusJson> {
    const st = await this.statOrUndefined(path);
    if (!st) throw RemoteException.fileNotFound(`File does not exist: ${path}`);
    return this.toJson(st, '', st.isDirectory() ? (await fsp.readdir(this.local(path))).length : 0);
  }

  /** LISTSTATUS: the children of a directory, by name; a file lists as itself (empty pathSuffix). */
  async listStatus(path: string): Promise<WebHdfsFileStatusJson[]> {
    const st = await this.statOrUndefined(path);
    if (!st) throw RemoteException.fileNotFound(`File ${path} does not exist.`);
    if (!st.isDirectory()) return [this.toJson(st, '', 0)];
    const names = (await fsp.readdir(this.local(path))).sort();
    const out: WebHdfsFileStatusJson[] = [];
    for (const name of names) {
      const child = await this.statOrUndefined(join(path, name));
      if (!child) continue; // deleted meanwhile
      out.push(this.toJson(child, name, child.isDirectory() ? (await fsp.readdir(this.local(join(path, name)))).length : 0));
    }
    return out;
  }

  /** MKDIRS. */
  async mkdirs(path: string): Promise<boolean> {
    await this.checkAncestorsAreDirectories(path);
    const st = await this.statOrUndefined(path);
    if (st && !st.isDirectory()) throw new RemoteException(403, 'FileAlreadyExistsException', `Path is not a directory: ${path}`);
    await fsp.mkdir(this.local(path), { recursive: true });
    return true;
  }

  /** RENAME (the old rename: false instead of errors). */
  async rename(source: string, destination: string): Promise<boolean> {
    if (source === '/') return false;
    const srcStat = await this.statOrUndefined(source);
    if (!srcStat) return false;
    if (destination === source) return true;
    if (destination.startsWith(source + '/')) return false;
    let target = destination;
    const dstStat = await this.statOrUndefined(destination);
    if (dstStat?.isDirectory()) {
      target = join(destination, source.slice(source.lastIndexOf('/') + 1));
      if (await this.statOrUndefined(target)) return false;
    } else if (dstStat) {
      return false;
    } else {
      const parent = await this.statOrUndefined(parentOf(destination));
      if (!parent?.isDirectory()) return false;
    }
    await fsp.rename(this.local(source), this.local(target));
    return true;
  }

  /** DELETE. */
  async delete(path: string, recursive: boolean): Promise<boolean> {
    if (path === '/') return false;
    const st = await this.statOrUndefined(path);
    if (!st) return false;
    if (st.isDirectory() && !recursive && (await fsp.readdir(this.local(path))).length > 0) {
      throw new RemoteException(403, 'PathIsNotEmptyDirectoryException', `\`${path} is non empty': Directory is not empty`);
    }
    await fsp.rm(this.local(path), { recursive: true, force: true });
    return true;
  }

  /** The datanode's side of CREATE: checks, makes the parents, and opens the file for the body. */
  async openForCreate(path: string, overwrite: boolean): Promise<WriteStream> {
    await this.checkAncestorsAreDirectories(path);
    const st = await this.statOrUndefined(path);
    if (st?.isDirectory()) throw RemoteException.alreadyExists(`${path} already exists as a directory`);
    if (st && !overwrite) throw RemoteException.alreadyExists(`${path} for client 127.0.0.1 already exists`);
    await fsp.mkdir(this.local(parentOf(path)), { recursive: true });
    return createWriteStream(this.local(path), { flags: 'w' });
  }

  /** The datanode's side of APPEND. */
  async openForAppend(path: string): Promise<WriteStream> {
    await this.requireFile(path);
    return createWriteStream(this.local(path), { flags: 'a' });
  }

  /** The datanode's side of OPEN: `length` bytes (or to the end) from `offset`. */
  async openForRead(path: string, offset: number, length: number | undefined): Promise<Readable> {
    const st = await this.requireFile(path);
    if (offset > st.size) throw new RemoteException(403, 'EOFException', 'Cannot seek after EOF');
    const end = length === undefined ? st.size : Math.min(st.size, offset + length);
    if (end <= offset) return Readable.from([]);
    return createReadStream(this.local(path), { start: offset, end: end - 1 }); // `end` is inclusive
  }

  /** Throws FileNotFoundException unless `path` is a file; what the namenode checks before redirecting OPEN and APPEND. */
  async requireFile(path: string): Promise<Stats> {
    const st = await this.statOrUndefined(path);
    if (!st) throw RemoteException.fileNotFound(`File does not exist: ${path}`);
    if (st.isDirectory()) throw RemoteException.fileNotFound(`Path is not a file: ${path}`);
    return st;
  }

  private async checkAncestorsAreDirectories(path: string): Promise<void> {
    let current = parentOf(path);
    while (current !== '/') {
      const st = await this.statOrUndefined(current);
      if (st && !st.isDirectory()) throw new RemoteException(403, 'ParentNotDirectoryException', `Parent path is not a directory: ${current}`);
      current = parentOf(current);
    }
  }

  private async statOrUndefined(path: string): Promise<Stats | undefined> {
    try {
      return await fsp.stat(this.local(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  private local(path: string): string {
    return join(this.root, path);
  }

  private toJson(st: Stats, pathSuffix: string, childrenNum: number): WebHdfsFileStatusJson {
    const dir = st.isDirectory();
    return {
      accessTime: dir ? 0 : Math.floor(st.atimeMs),
      blockSize: dir ? 0 : BLOCK_SIZE,
      childrenNum,
      fileId: st.ino,
      group: 'supergroup',
      length: dir ? 0 : st.size,
      modificationTime: Math.floor(st.mtimeMs),
      owner: this.owner,
      pathSuffix,
      permission: (st.mode & 0o777).toString(8),
      replication: dir ? 0 : 1,
      storagePolicy: 0,
      type: dir ? 'DIRECTORY' : 'FILE',
    };
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
