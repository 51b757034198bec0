import type { FileSystemRegistry } from '@tsflink/fs';
import { CheckpointLayout } from '@tsflink/runtime';
import type { CompletedCheckpoint } from './completed-checkpoint-store.js';

/**
 * Checks that every state file a checkpoint references exists and is long
 * enough for its handles (checksums are verified by the tasks while they read).
 * Returns a description of the first problem, or undefined when all is there.
 */
export async function verifyCheckpointFiles(fileSystems: FileSystemRegistry, checkpoint: CompletedCheckpoint): Promise<string | undefined> {
  const needed = new Map<string, number>();
  for (const op of checkpoint.metadata.operators) {
    for (const s of op.subtasks) {
      for (const h of [s.keyed?.data, s.operator?.data]) {
        if (!h?.path) continue;
        const path = CheckpointLayout.resolve(checkpoint.directory, h.path);
        needed.set(path, Math.max(needed.get(path) ?? 0, h.offset + h.length));
      }
    }
  }
  for (const [path, minLength] of needed) {
    const fs = await fileSystems.get(path);
    const status = await fs.stat(path);
    if (!status) return `the state file ${path} is missing`;
    if (status.length < minLength) return `the state file ${path} is truncated (${status.length} of ${minLength} bytes)`;
  }
  return undefined;
}
