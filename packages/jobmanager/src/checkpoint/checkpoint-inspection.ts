import type { CheckpointInspection, JobGraph__Output, OperatorMapping, RestorePlan } from '@tsflink/proto';
import { displayPath } from '@tsflink/fs';
import { CheckpointLayout, METADATA_FORMAT_VERSION, type CheckpointMetadata, type OperatorState } from '@tsflink/runtime';
import { assignState } from './state-assignment.js';

function stateBytes(op: OperatorState): number {
  return op.subtasks.reduce((n, s) => n + s.stateSize, 0);
}

/** What a checkpoint or savepoint holds: operators, uids, parallelism, key groups, state names, sizes, files. */
export function inspectCheckpoint(metadata: CheckpointMetadata, directory: string): CheckpointInspection {
  return {
    path: displayPath(directory),
    kind: metadata.kind,
    job_id: metadata.jobId,
    job_name: metadata.jobName ?? '',
    checkpoint_id: metadata.checkpointId,
    trigger_timestamp: metadata.triggerTimestamp,
    completion_timestamp: metadata.completionTimestamp,
    format_version: METADATA_FORMAT_VERSION,
    operators: metadata.operators.map((op) => {
      const states = new Map<string, string>();
      for (const s of op.subtasks) {
        for (const st of s.keyed?.states ?? []) states.set(st.name, st.kind);
        for (const [name, m] of Object.entries(s.operator?.states ?? {})) states.set(name, m.mode === 'UNION' ? 'union' : 'list');
      }
      return {
        operator_id: op.operatorId,
        uid: op.uid ?? '',
        name: op.name ?? '',
        parallelism: op.parallelism,
        max_parallelism: op.maxParallelism,
        state_bytes: stateBytes(op),
        states: [...states].map(([name, kind]) => ({ name, kind })),
        subtasks: op.subtasks.map((s) => ({
          index: s.subtaskIndex,
          start_key_group: s.keyed ? s.keyed.keyGroupRange.start : -1,
          end_key_group: s.keyed ? s.keyed.keyGroupRange.end : -1,
          state_bytes: s.stateSize,
          files: [...new Set([s.keyed?.data, s.operator?.data].filter((h) => h).map((h) => (h!.path ? displayPath(CheckpointLayout.resolve(directory, h!.path)) : 'inline')))],
        })),
      };
    }),
  };
}

/**
 * How the saved operators map onto a new program, without running anything:
 * restored, dropped (with -n), not restorable (the submission would fail), new
 * operators without saved state, and parallelism checks.
 */
export function planRestore(metadata: CheckpointMetadata, directory: string, displayName: string, graph: JobGraph__Output, allowNonRestoredState: boolean): RestorePlan {
  const newOps = new Map<string, { name: string; parallelism: number; maxParallelism: number; uid: string }>();
  for (const v of graph.vertices) for (const o of v.operators) newOps.set(o.id, { name: o.name, parallelism: v.parallelism, maxParallelism: v.max_parallelism, uid: o.uid });
  const mappings: OperatorMapping[] = [];
  const savedIds = new Set<string>();
  for (const op of metadata.operators) {
    savedIds.add(op.operatorId);
    const target = newOps.get(op.operatorId);
    const bytes = stateBytes(op);
    const hasState = op.subtasks.some((s) => s.keyed || s.operator);
    const hasKeyed = op.subtasks.some((s) => s.keyed);
    let status = 'RESTORED';
    let note = '';
    if (!hasState) { status = 'EMPTY'; note = 'saved without state'; }
    else if (!target) { status = allowNonRestoredState ? 'DROPPED' : 'NOT_RESTORABLE'; note = allowNonRestoredState ? 'state is skipped (--allowNonRestoredState)' : 'not in the new program; use --allowNonRestoredState to skip its state'; }
    else if (hasKeyed && (target.maxParallelism !== op.maxParallelism || target.parallelism > op.maxParallelism)) {
      status = 'NOT_RESTORABLE'; note = `max parallelism ${op.maxParallelism} saved, ${target.maxParallelism} in the new program`;
    } else if (target.parallelism !== op.parallelism) note = `rescaled ${op.parallelism} → ${target.parallelism}`;
    mappings.push({
      operator_id: op.operatorId, uid: op.uid ?? target?.uid ?? '', saved_name: op.name ?? '', new_name: target?.name ?? '', status,
      old_parallelism: op.parallelism, new_parallelism: target?.parallelism ?? 0,
      old_max_parallelism: op.maxParallelism, new_max_parallelism: target?.maxParallelism ?? 0, state_bytes: bytes, note,
    });
  }
  for (const [id, op] of newOps) {
    if (savedIds.has(id)) continue;
    mappings.push({
      operator_id: id, uid: op.uid, saved_name: '', new_name: op.name, status: 'NEW', old_parallelism: 0, new_parallelism: op.parallelism,
      old_max_parallelism: 0, new_max_parallelism: op.maxParallelism, state_bytes: 0, note: 'starts with empty state',
    });
  }
  let error = '';
  try {
    assignState(metadata, directory, displayName, graph, allowNonRestoredState);
  } catch (e) {
    error = (e as Error).message;
  }
  return { path: displayPath(directory), checkpoint_id: metadata.checkpointId, mappings, ok: error === '', error };
}
