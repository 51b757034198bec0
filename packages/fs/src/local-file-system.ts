import { constants as fsc, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { FileStatus, FileSystem, FsOutputStream } from './file-system.js';
import { localPathOf, normalizeUri } from './uri.js';

/** file:// — the local (or a shared, mounted) POSIX file system. Writes are fsync'ed; atomic writes use temp + rename. */
export class LocalFileSystem implements FileSystem {
  readonly scheme = 'file';

  async exists(path: string): Promise<boolean> {
    try { await fsp.access(localPathOf(path), fsc.F_OK); return true; } catch { return false; }
  }

  async stat(path: string): Promise<FileStatus | undefined> {
    try {
      const st = await fsp.stat(localPathOf(path));
      return { path: normalizeUri(path), isDirectory: st.isDirectory(), length: st.isDirectory() ? 0 : st.size, modificationTime: st.mtimeMs };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(path: string): Promise<FileStatus[]> {
    const dir = localPathOf(path);
    let names: string[];
    try { names = await fsp.readdir(dir); } catch (e) { if (isNotFound(e)) return []; throw e; }
    const out: FileStatus[] = [];
    for (const name of names.sort()) {
      const st = await this.stat(`${normalizeUri(path)}/${name}`);
      if (st) out.push(st);
    }
    return out;
  }

  async mkdirs(path: string): Promise<void> {
    await fsp.mkdir(localPathOf(path), { recursive: true });
  }

  async readFile(path: string): Promise<Buffer> {
    return fsp.readFile(localPathOf(path));
  }

  async readRange(path: string, offset: number, length: number): Promise<Buffer> {
    const fh = await fsp.open(localPathOf(path), 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await fh.read(buf, read, length - read, offset + read);
        if (bytesRead === 0) throw new Error(`File ${normalizeUri(path)} is shorter than expected: wanted ${length} bytes at offset ${offset}, got ${read}.`);
        read += bytesRead;
      }
      return buf;
    } finally {
      await fh.close();
    }
  }

  async writeFileAtomic(path: string, data: Buffer): Promise<void> {
    const target = localPathOf(path);
    await fsp.mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.inprogress-${randomBytes(6).toString('hex')}`;
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fsp.rename(tmp, target);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    await syncDirectory(dirname(target));
  }

  async create(path: string): Promise<FsOutputStream> {
    const target = localPathOf(path);
    await fsp.mkdir(dirname(target), { recursive: true });
    const fh = await fsp.open(target, 'wx');
    let written = 0;
    let closed = false;
    return {
      async write(chunk: Buffer) {
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
          off += bytesWritten;
        }
        written += chunk.length;
      },
      async close() {
        if (closed) return written;
        closed = true;
        await fh.sync();
        await fh.close();
        return written;
      },
      async abort() {
        if (!closed) { closed = true; await fh.close(); }
        await fsp.rm(target, { force: true });
      },
    };
  }

  async delete(path: string, recursive: boolean): Promise<void> {
    const p = localPathOf(path);
    if (recursive) { await fsp.rm(p, { recursive: true, force: true }); return; }
    try {
      const st = await fsp.stat(p);
      if (st.isDirectory()) await fsp.rmdir(p); else await fsp.unlink(p);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const dst = localPathOf(to);
    if (await this.exists(to)) throw new Error(`Cannot rename ${normalizeUri(from)} to ${normalizeUri(to)}: the target exists.`);
    await fsp.mkdir(dirname(dst), { recursive: true });
    await fsp.rename(localPathOf(from), dst);
  }
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'ENOENT';
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  } catch { /* some file systems do not allow fsync on directories */ }
}
