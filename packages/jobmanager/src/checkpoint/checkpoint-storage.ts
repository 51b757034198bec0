import { displayPath, normalizeUri, schemeOf, type FileSystemRegistry } from '@tsflink/fs';
import {
  CheckpointLayout, METADATA_FILE_NAME, decodeMetadata, encodeMetadata, InvalidMetadataError,
  type CheckpointMetadata,
} from '@tsflink/runtime';

/** A restore path that does not lead to a checkpoint or savepoint; the message is Flink's. */
export class RestorePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/**
 * The JobManager's view of checkpoint storage (Flink's CheckpointStorageCoordinatorView):
 * where checkpoint n and savepoints go, writing `_metadata` last and atomically,
 * resolving restore paths, and deleting what the protocol says to delete.
 */
export class CheckpointStorage {
  constructor(private readonly fileSystems: FileSystemRegistry, private readonly jobId: string, readonly checkpointsDir: string | undefined) {}

  /** Directory for checkpoint n ('' when checkpoints live in JobManager memory). */
  checkpointLocation(checkpointId: number): string {
    return this.checkpointsDir ? CheckpointLayout.checkpointDirectory(normalizeUri(this.checkpointsDir), this.jobId, checkpointId) : '';
  }

  newSavepointLocation(targetDir: string): string {
    return CheckpointLayout.newSavepointDirectory(normalizeUri(targetDir), this.jobId);
  }

  /** Creates the job's directory layout (chk-n, shared/, taskowned/) before tasks write. */
  async initializeLocation(directory: string): Promise<void> {
    if (!directory) return;
    const fs = await this.fileSystems.get(directory);
    await fs.mkdirs(directory);
    if (this.checkpointsDir && directory.startsWith(normalizeUri(this.checkpointsDir))) {
      await fs.mkdirs(CheckpointLayout.sharedDirectory(normalizeUri(this.checkpointsDir), this.jobId));
      await fs.mkdirs(CheckpointLayout.taskOwnedDirectory(normalizeUri(this.checkpointsDir), this.jobId));
    }
  }

  /** Writes `_metadata` atomically: from now on the checkpoint exists. */
  async writeMetadata(directory: string, metadata: CheckpointMetadata): Promise<void> {
    if (!directory) return;
    const fs = await this.fileSystems.get(directory);
    await fs.writeFileAtomic(CheckpointLayout.metadataFile(directory), encodeMetadata(metadata));
  }

  /** Deletes a checkpoint's directory with everything inside. */
  async discard(directory: string): Promise<void> {
    if (!directory) return;
    const fs = await this.fileSystems.get(directory);
    await fs.delete(directory, true);
  }

  /** After the last retained checkpoint of a job is gone, removes the job's directory. */
  async discardJobDirectoryIfEmpty(): Promise<void> {
    if (!this.checkpointsDir) return;
    const jobDir = CheckpointLayout.jobDirectory(normalizeUri(this.checkpointsDir), this.jobId);
    const fs = await this.fileSystems.get(jobDir);
    const entries = await fs.list(jobDir);
    if (entries.some((e) => CheckpointLayout.checkpointIdOf(e.path.split('/').pop()!) !== undefined)) return;
    await fs.delete(jobDir, true);
  }
}

/**
 * Resolves a `flink run -s` / dispose path (the directory or its `_metadata`)
 * and reads the metadata, with Flink's messages for a missing path and a
 * directory without metadata.
 */
export async function loadCheckpointMetadata(fileSystems: FileSystemRegistry, path: string): Promise<{ directory: string; metadata: CheckpointMetadata }> {
  let uri: string;
  try {
    uri = normalizeUri(path);
  } catch {
    throw new RestorePathError(`Cannot find checkpoint or savepoint file/directory '${path}' on file system 'file'.`);
  }
  const fs = await fileSystems.get(uri);
  const status = await fs.stat(uri);
  if (!status) {
    throw new RestorePathError(`Cannot find checkpoint or savepoint file/directory '${path}' on file system '${schemeOf(uri)}'.`);
  }
  let directory = uri;
  let file = uri;
  if (status.isDirectory) {
    file = CheckpointLayout.metadataFile(uri);
    if (!(await fs.exists(file))) {
      throw new RestorePathError(`Cannot find meta data file '${METADATA_FILE_NAME}' in directory '${path}'. Please try to load the checkpoint/savepoint directly from the metadata file instead of the directory.`);
    }
  } else {
    directory = uri.slice(0, uri.lastIndexOf('/'));
  }
  try {
    return { directory, metadata: decodeMetadata(await fs.readFile(file), displayPath(file)) };
  } catch (e) {
    if (e instanceof InvalidMetadataError) throw new RestorePathError(e.message);
    throw e;
  }
}
