/**
 * Committing a part file: an atomic rename from its in-progress name to its
 * final name, then (once per batch) an fsync of the directory so the rename
 * itself survives a machine crash. Idempotent, because a commit may be
 * repeated after a failure (by the restored writer, for files a completed
 * checkpoint covers).
 */
import { open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSinkCommitError } from '../connector-errors.js';
import type { PendingPartFile } from './file-sink-state.js';

/**
 * Renames `file` into place. A rename whose source is gone while the target
 * exists was done before and counts as done.
 * @throws FileSinkCommitError when neither file exists or the rename fails.
 */
export async function commitPartFile(directory: string, file: PendingPartFile): Promise<void> {
  const from = join(directory, file.inProgressFile);
  const to = join(directory, file.committedFile);
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && await exists(to)) return;
    throw new FileSinkCommitError(from, to, (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : error);
  }
}

/** Makes renames and creations in `directory` durable; a no-op where directories cannot be fsynced. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
