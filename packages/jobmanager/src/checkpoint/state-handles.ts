import type {
  KeyGroupsStateHandle, OperatorStateHandle, OperatorSubtaskState__Output, StreamStateHandle, StreamStateHandle__Output,
} from '@tsflink/proto';
import { CheckpointLayout, type StreamHandle, type SubtaskState } from '@tsflink/runtime';

/**
 * Conversions between the wire form of state handles (proto, in task
 * acknowledgements and restore assignments) and the `_metadata` model. In a
 * savepoint, file paths become relative to the savepoint directory.
 */
export function subtaskStateFromAck(ack: OperatorSubtaskState__Output, relativeTo?: string): SubtaskState {
  const stream = (h: StreamStateHandle__Output): StreamHandle => ({
    ...(h.path ? { path: relativeTo ? CheckpointLayout.relativize(relativeTo, h.path) : h.path } : { inline: Buffer.from(h.inline_data) }),
    offset: h.offset,
    length: h.length,
    crc32: h.crc32,
  });
  const out: SubtaskState = { subtaskIndex: ack.subtask_index, stateSize: ack.state_size };
  if (ack.keyed) {
    out.keyed = {
      keyGroupRange: { start: ack.keyed.start_key_group, end: ack.keyed.end_key_group },
      keyGroupOffsets: ack.keyed.key_group_offsets,
      data: stream(ack.keyed.data!),
      states: ack.keyed.states.map((s) => ({ name: s.name, kind: s.kind })),
      formatVersion: ack.keyed.format_version,
      maxParallelism: ack.keyed.max_parallelism,
    };
  }
  if (ack.operator) {
    out.operator = {
      data: stream(ack.operator.data!),
      states: Object.fromEntries(ack.operator.states.map((s) => [s.name, { mode: s.mode as 'SPLIT_DISTRIBUTE' | 'UNION', offsets: s.element_offsets }])),
      formatVersion: ack.operator.format_version,
    };
  }
  return out;
}

export function streamHandleToProto(h: StreamHandle): StreamStateHandle {
  return h.inline
    ? { path: '', offset: 0, length: h.length, crc32: h.crc32, inline_data: h.inline }
    : { path: h.path ?? '', offset: h.offset, length: h.length, crc32: h.crc32 };
}

export function keyedHandleToProto(s: SubtaskState): KeyGroupsStateHandle {
  const k = s.keyed!;
  return {
    start_key_group: k.keyGroupRange.start, end_key_group: k.keyGroupRange.end, key_group_offsets: k.keyGroupOffsets,
    data: streamHandleToProto(k.data), states: k.states, format_version: k.formatVersion, max_parallelism: k.maxParallelism,
  };
}

export function operatorHandleToProto(data: StreamHandle, states: Record<string, { mode: string; offsets: readonly number[] }>, formatVersion: number): OperatorStateHandle {
  return {
    data: streamHandleToProto(data),
    states: Object.entries(states).map(([name, m]) => ({ name, mode: m.mode, element_offsets: [...m.offsets] })),
    format_version: formatVersion,
  };
}

/** Every file a checkpoint's handles reference (for existence checks and cleanup). */
export function referencedFiles(subtasks: Iterable<SubtaskState>): Set<string> {
  const files = new Set<string>();
  for (const s of subtasks) {
    if (s.keyed?.data.path) files.add(s.keyed.data.path);
    if (s.operator?.data.path) files.add(s.operator.data.path);
  }
  return files;
}
