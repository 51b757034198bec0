/**
 * Lists the input files of a FileSource path: the path itself when it is a
 * file, else every file below the directory (recursively), sorted by path.
 * As Flink's default file filter, names starting with "." or "_" are skipped
 * (hidden files and files still being written, e.g. a FileSink's in-progress
 * parts). Symbolic links are followed, each directory visited once (no
 * cycles). Async I/O only.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSourcePathNotFoundError } from '../connector-errors.js';

/** @throws FileSourcePathNotFoundError when `root` does not exist. */
export async function listFiles(root: string): Promise<string[]> {
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileSourcePathNotFoundError(root);
    throw error;
  }
  if (!info.isDirectory()) return [root];
  const files: string[] = [];
  await walk(root, files, new Set());
  return files.sort();
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

async function walk(dir: string, out: string[], visited: Set<string>): Promise<void> {
  const real = await realpath(dir);
  if (visited.has(real)) return;
  visited.add(real);
  const subdirectories: string[] = [];
  for await (const entry of await opendir(dir)) {
    if (isHidden(entry.name)) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target === undefined) continue; // a dangling link
      isDirectory = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDirectory) subdirectories.push(path);
    else if (isFile) out.push(path);
  }
  for (const sub of subdirectories) await walk(sub, out, visited);
}
