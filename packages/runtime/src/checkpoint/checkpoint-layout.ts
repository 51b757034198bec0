import { randomBytes } from 'node:crypto';

/**
 * Every checkpoint and savepoint path, in one place (Flink's layout):
 *
 *   <checkpoints dir>/<jobId>/chk-<n>/_metadata      completed checkpoint n
 *   <checkpoints dir>/<jobId>/chk-<n>/<task files>   state written for checkpoint n
 *   <checkpoints dir>/<jobId>/shared/                 state shared between checkpoints (incremental; reserved)
 *   <checkpoints dir>/<jobId>/taskowned/              state owned by tasks (reserved)
 *   <savepoint dir>/savepoint-<6 hex of jobId>-<12 hex>/_metadata (+ all state files inside)
 *
 * Nobody else builds `chk-`, `savepoint-` or `_metadata` strings.
 */
export const METADATA_FILE_NAME = '_metadata';
const CHECKPOINT_DIR_PREFIX = 'chk-';
const SAVEPOINT_DIR_PREFIX = 'savepoint-';

function join(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].join('/');
}

export const CheckpointLayout = {
  jobDirectory(checkpointsDir: string, jobId: string): string {
    return join(checkpointsDir, jobId);
  },
  checkpointDirectory(checkpointsDir: string, jobId: string, checkpointId: number): string {
    return join(checkpointsDir, jobId, `${CHECKPOINT_DIR_PREFIX}${checkpointId}`);
  },
  sharedDirectory(checkpointsDir: string, jobId: string): string {
    return join(checkpointsDir, jobId, 'shared');
  },
  taskOwnedDirectory(checkpointsDir: string, jobId: string): string {
    return join(checkpointsDir, jobId, 'taskowned');
  },
  /** A new savepoint directory under `targetDir`: `savepoint-<6 hex of the job id>-<12 random hex>`. */
  newSavepointDirectory(targetDir: string, jobId: string): string {
    return join(targetDir, `${SAVEPOINT_DIR_PREFIX}${jobId.slice(0, 6)}-${randomBytes(6).toString('hex')}`);
  },
  metadataFile(directory: string): string {
    return join(directory, METADATA_FILE_NAME);
  },
  /** The file a task writes its state into for one checkpoint: one object per task per checkpoint. */
  taskStateFile(directory: string, vertexId: string, subtaskIndex: number): string {
    return join(directory, `op-${vertexId.slice(0, 8)}-${subtaskIndex}-${randomBytes(4).toString('hex')}`);
  },
  /** The checkpoint id of a `chk-<n>` directory name, or undefined. */
  checkpointIdOf(directoryName: string): number | undefined {
    const m = /^chk-(\d+)$/.exec(directoryName);
    return m ? Number(m[1]) : undefined;
  },
  isSavepointDirectoryName(name: string): boolean {
    return /^savepoint-[0-9a-f]{6}-[0-9a-f]{12}$/.test(name);
  },
  /** `path` relative to `directory` when it lies inside it (savepoints are relocatable), else unchanged. */
  relativize(directory: string, path: string): string {
    const base = directory.replace(/\/+$/, '') + '/';
    return path.startsWith(base) ? path.slice(base.length) : path;
  },
  /** Resolves a handle path against the checkpoint/savepoint directory it was read from. */
  resolve(directory: string, path: string): string {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.startsWith('/')) return path;
    return join(directory, path);
  },
};
