import type { JobGraph } from '@tsflink/api';
import type { JobGraph__Output } from '@tsflink/proto';

/** The proto message back as the api's JobGraph. */
export function fromProtoJobGraph(p: JobGraph__Output): JobGraph {
  const c = p.checkpoint;
  const r = p.restart_strategy;
  return {
    jobName: p.job_name,
    vertices: p.vertices.map((v) => ({
      id: v.id, name: v.name, parallelism: v.parallelism, maxParallelism: v.max_parallelism, isSource: v.is_source,
      operators: v.operators.map((o) => ({
        id: o.id, uid: o.uid || undefined, name: o.name, kind: o.kind, stateful: o.stateful,
        chainedOutputs: o.chained_outputs, outputEdges: o.output_edges,
      })),
    })),
    edges: p.edges.map((e) => ({
      sourceVertex: e.source_vertex, sourceOperator: e.source_operator, targetVertex: e.target_vertex,
      partitioner: e.partitioner as JobGraph['edges'][number]['partitioner'], targetInput: e.target_input,
      sideOutputTag: e.side_output_tag || undefined,
    })),
    maxParallelism: p.max_parallelism || undefined,
    checkpoint: {
      intervalMs: c?.interval_ms || undefined,
      mode: (c?.mode || undefined) as JobGraph['checkpoint']['mode'],
      timeoutMs: c?.has_timeout ? c.timeout_ms : undefined,
      minPauseMs: c?.has_min_pause ? c.min_pause_ms : undefined,
      maxConcurrent: c?.has_max_concurrent ? c.max_concurrent : undefined,
      tolerableFailures: c?.has_tolerable_failures ? c.tolerable_failures : undefined,
      externalizedCleanup: (c?.externalized_cleanup || undefined) as JobGraph['checkpoint']['externalizedCleanup'],
    },
    restartStrategy: !r || !r.type ? undefined
      : r.type === 'none' ? { type: 'none' }
      : r.type === 'fixed-delay' ? { type: 'fixed-delay', attempts: r.attempts, delayMs: r.delay_ms }
      : { type: 'exponential-delay', initialDelayMs: r.delay_ms, maxDelayMs: r.max_delay_ms, multiplier: r.multiplier, attempts: r.attempts < 0 ? undefined : r.attempts },
    warnings: p.warnings,
  };
}
