import type { JobGraph } from '@tsflink/api';
import type { JobGraph as ProtoJobGraph } from '@tsflink/proto';

/** The api's JobGraph as the proto message (field for field; see proto/common.proto). */
export function toProtoJobGraph(g: JobGraph): ProtoJobGraph {
  const c = g.checkpoint;
  const r = g.restartStrategy;
  return {
    job_name: g.jobName,
    vertices: g.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      parallelism: v.parallelism,
      max_parallelism: v.maxParallelism,
      is_source: v.isSource,
      operators: v.operators.map((o) => ({
        id: o.id, uid: o.uid ?? '', name: o.name, kind: o.kind, stateful: o.stateful,
        chained_outputs: o.chainedOutputs, output_edges: o.outputEdges,
      })),
    })),
    edges: g.edges.map((e) => ({
      source_vertex: e.sourceVertex, source_operator: e.sourceOperator, target_vertex: e.targetVertex,
      partitioner: e.partitioner, target_input: e.targetInput, side_output_tag: e.sideOutputTag ?? '',
    })),
    max_parallelism: g.maxParallelism ?? 0,
    checkpoint: {
      interval_ms: c.intervalMs ?? 0,
      mode: c.mode ?? '',
      timeout_ms: c.timeoutMs ?? 0, has_timeout: c.timeoutMs !== undefined,
      min_pause_ms: c.minPauseMs ?? 0, has_min_pause: c.minPauseMs !== undefined,
      max_concurrent: c.maxConcurrent ?? 0, has_max_concurrent: c.maxConcurrent !== undefined,
      tolerable_failures: c.tolerableFailures ?? 0, has_tolerable_failures: c.tolerableFailures !== undefined,
      externalized_cleanup: c.externalizedCleanup ?? '',
    },
    restart_strategy: !r ? { type: '' }
      : r.type === 'none' ? { type: 'none' }
      : r.type === 'fixed-delay' ? { type: 'fixed-delay', attempts: r.attempts, delay_ms: r.delayMs }
      : { type: 'exponential-delay', attempts: r.attempts ?? -1, delay_ms: r.initialDelayMs, max_delay_ms: r.maxDelayMs, multiplier: r.multiplier },
    warnings: g.warnings,
  };
}
