import type { FileSystemRegistry } from '@tsflink/fs';
import { CheckpointLayout, type OperatorRestore } from '@tsflink/runtime';
import type { StreamStateHandle__Output, TaskRestore__Output } from '@tsflink/proto';

/** Thrown when a state file named by a checkpoint is missing or unreadable; the message names the file. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

/**
 * Turns the JobManager's restore assignment into byte sources the operators
 * restore from. Relative paths (savepoints) resolve against the checkpoint
 * directory; every read names the file in its error.
 */
export function restoreSourcesOf(restore: TaskRestore__Output, fileSystems: FileSystemRegistry): Map<string, OperatorRestore> {
  const out = new Map<string, OperatorRestore>();
  const reader = (handle: StreamStateHandle__Output) => {
    if (!handle.path) {
      const inline = handle.inline_data;
      return { description: `inline state of checkpoint ${restore.checkpoint_id}`, bytes: async (offset: number, length: number) => inline.subarray(offset, offset + length) };
    }
    const path = CheckpointLayout.resolve(restore.checkpoint_path, handle.path);
    return {
      description: path,
      bytes: async (offset: number, length: number) => {
        const fs = await fileSystems.get(path);
        try {
          return await fs.readRange(path, handle.offset + offset, length);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || /not found|does not exist|NoSuchKey/i.test((e as Error).message)) {
            throw new StateFileError(`The state file ${path} of checkpoint ${restore.checkpoint_id} is missing.`);
          }
          throw new StateFileError(`Could not read the state file ${path} of checkpoint ${restore.checkpoint_id}: ${(e as Error).message}`);
        }
      },
    };
  };
  for (const op of restore.operators) {
    out.set(op.operator_id, {
      keyed: op.keyed.map((k) => {
        const r = reader(k.data!);
        return {
          bytes: r.bytes, description: r.description, length: k.data!.length,
          keyGroupRange: { start: k.start_key_group, end: k.end_key_group }, keyGroupOffsets: k.key_group_offsets,
        };
      }),
      operator: op.operator.map((o) => {
        const r = reader(o.data!);
        return {
          bytes: r.bytes, description: r.description, length: o.data!.length,
          states: Object.fromEntries(o.states.map((s) => [s.name, { mode: s.mode as 'SPLIT_DISTRIBUTE' | 'UNION', offsets: s.element_offsets }])),
        };
      }),
    });
  }
  return out;
}
