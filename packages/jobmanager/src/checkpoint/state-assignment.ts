import type { JobGraph__Output, OperatorRestoreState, TaskRestore } from '@tsflink/proto';
import {
  computeKeyGroupRangeForOperatorIndex, redistributeOperatorState,
  type CheckpointMetadata, type OperatorState, type StreamHandle,
} from '@tsflink/runtime';
import { keyedHandleToProto, operatorHandleToProto } from './state-handles.js';

/** Restoring would lose or misplace state; the message is Flink's. */
export class StateAssignmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

export interface AssignmentResult {
  /** vertex id → restore per subtask index (undefined entries: nothing to restore). */
  restores: Map<string, TaskRestore[]>;
  /** Operator ids of state that was dropped (with --allowNonRestoredState). */
  dropped: OperatorState[];
  /** How each saved operator maps onto the new program. */
  mapping: Array<{ operator: OperatorState; vertexId: string; newParallelism: number; newMaxParallelism: number }>;
}

function hasState(op: OperatorState): boolean {
  return op.subtasks.some((s) => s.keyed || s.operator);
}

/**
 * Maps a checkpoint's state onto a (possibly changed) program by operator id —
 * per operator, also inside chains: keyed state by key-group range (so any
 * parallelism up to the max parallelism works), operator list state
 * round-robin, union state whole to every subtask. Pure: no I/O.
 */
export function assignState(metadata: CheckpointMetadata, directory: string, displayName: string, graph: JobGraph__Output, allowNonRestoredState: boolean): AssignmentResult {
  const vertexOfOperator = new Map<string, JobGraph__Output['vertices'][number]>();
  for (const v of graph.vertices) for (const o of v.operators) vertexOfOperator.set(o.id, v);

  const dropped: OperatorState[] = [];
  const mapping: AssignmentResult['mapping'] = [];
  const perVertex = new Map<string, OperatorRestoreState[][]>();

  for (const op of metadata.operators) {
    const vertex = vertexOfOperator.get(op.operatorId);
    if (!vertex) {
      if (!hasState(op)) continue;
      if (!allowNonRestoredState) {
        throw new StateAssignmentError(`Failed to rollback to checkpoint/savepoint ${displayName}. Cannot map checkpoint/savepoint state for operator ${op.operatorId} to the new program, because the operator is not available in the new program. If you want to allow to skip this, you can set the --allowNonRestoredState option on the CLI.`);
      }
      dropped.push(op);
      continue;
    }
    const p = vertex.parallelism;
    const maxP = vertex.max_parallelism;
    const hasKeyed = op.subtasks.some((s) => s.keyed);
    if (hasKeyed && (op.maxParallelism !== maxP || p > op.maxParallelism)) {
      throw new StateAssignmentError(`Failed to rollback to checkpoint/savepoint ${displayName}. Max parallelism mismatch between checkpoint/savepoint state and new program. Cannot map operator ${op.operatorId} with max parallelism ${op.maxParallelism} to new program with max parallelism ${maxP}. This indicates that the program has been changed in a non-compatible way after the checkpoint/savepoint.`);
    }
    mapping.push({ operator: op, vertexId: vertex.id, newParallelism: p, newMaxParallelism: maxP });
    if (!hasState(op)) continue;

    const bySubtask: OperatorRestoreState[] = Array.from({ length: p }, () => ({ operator_id: op.operatorId, keyed: [], operator: [] }));
    // Keyed state: every old handle whose key groups intersect the new subtask's range.
    for (let i = 0; i < p; i++) {
      const range = computeKeyGroupRangeForOperatorIndex(maxP, p, i);
      for (const s of op.subtasks) {
        if (!s.keyed) continue;
        const r = s.keyed.keyGroupRange;
        if (r.start <= range.end && range.start <= r.end) bySubtask[i]!.keyed!.push(keyedHandleToProto(s));
      }
    }
    // Operator state: Flink's round-robin repartitioning (union state to everyone).
    const oldByIndex: Array<{ stream: StreamHandle; states: Record<string, { mode: 'SPLIT_DISTRIBUTE' | 'UNION'; offsets: number[] }> } | undefined> = [];
    const formatOf = new Map<StreamHandle, number>();
    for (const s of op.subtasks) {
      if (!s.operator) continue;
      oldByIndex[s.subtaskIndex] = { stream: s.operator.data, states: s.operator.states };
      formatOf.set(s.operator.data, s.operator.formatVersion);
    }
    if (oldByIndex.some((h) => h)) {
      const parts = redistributeOperatorState(Array.from({ length: op.parallelism }, (_, i) => oldByIndex[i]), p);
      parts.forEach((list, i) => {
        for (const part of list) bySubtask[i]!.operator!.push(operatorHandleToProto(part.stream, part.states, formatOf.get(part.stream) ?? 1));
      });
    }
    let restores = perVertex.get(vertex.id);
    if (!restores) { restores = Array.from({ length: p }, () => []); perVertex.set(vertex.id, restores); }
    // Every subtask gets an entry, even an empty one: "restored with nothing" (e.g. a source
    // subtask left without splits after rescaling) must not look like a fresh start.
    bySubtask.forEach((r, i) => restores![i]!.push(r));
  }

  const restores = new Map<string, TaskRestore[]>();
  for (const v of graph.vertices) {
    const ops = perVertex.get(v.id);
    restores.set(v.id, Array.from({ length: v.parallelism }, (_, i) => ({
      checkpoint_id: metadata.checkpointId,
      checkpoint_path: directory,
      operators: ops?.[i] ?? [],
    })));
  }
  return { restores, dropped, mapping };
}
