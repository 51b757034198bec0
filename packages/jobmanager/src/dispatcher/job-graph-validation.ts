import { CheckpointingOptions, InvalidArgumentError, type Configuration } from '@tsflink/core';
import type { SubmitJobRequest__Output } from '@tsflink/proto';

/** Refuses a submission whose graph or settings cannot run; one sentence naming the problem. */
export function validateJobGraph(request: SubmitJobRequest__Output, config: Configuration): void {
  const g = request.job_graph;
  if (!g || g.vertices.length === 0) throw new InvalidArgumentError('The submitted job has no operators.');
  if (request.job_bundle.length === 0) throw new InvalidArgumentError('The submitted job has no code bundle.');
  const ids = new Set<string>();
  for (const v of g.vertices) {
    if (v.parallelism < 1) throw new InvalidArgumentError(`Vertex ${v.name} has parallelism ${v.parallelism}; it must be at least 1.`);
    if (v.parallelism > v.max_parallelism) {
      throw new InvalidArgumentError(`Vertex ${v.name} has parallelism ${v.parallelism}, above its max parallelism ${v.max_parallelism}.`);
    }
    for (const o of v.operators) {
      if (ids.has(o.id)) throw new InvalidArgumentError(`Operator id ${o.id} appears twice in the job graph.`);
      ids.add(o.id);
    }
  }
  const vertexIds = new Set(g.vertices.map((v) => v.id));
  for (const e of g.edges) {
    if (!vertexIds.has(e.source_vertex) || !vertexIds.has(e.target_vertex)) {
      throw new InvalidArgumentError(`The job graph has an edge between unknown vertices ${e.source_vertex} -> ${e.target_vertex}.`);
    }
  }
  const retention = g.checkpoint?.externalized_cleanup || config.get(CheckpointingOptions.EXTERNALIZED_RETENTION);
  if (retention && retention !== 'NO_EXTERNALIZED_CHECKPOINTS' && !config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
    throw new InvalidArgumentError(
      `The job enables externalized checkpoints (${retention}), but no checkpoint directory is configured: set state.checkpoints.dir (execution.checkpointing.dir) in flink-conf.yaml.`);
  }
}
