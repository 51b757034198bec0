/**
 * A readable rendering of a JobGraph for `flink info` and `flink run --dry-run`:
 * settings, then each vertex with its chain of operators (ids, uids, state),
 * then the network edges and the warnings. Example:
 *
 *   Job "CheckpointExample"
 *     checkpointing: every 5000 ms, EXACTLY_ONCE; externalized checkpoints: RETAIN_ON_CANCELLATION
 *     restart strategy: cluster default
 *
 *   Vertex 1: Source: numbers  (parallelism 1, max parallelism 128)
 *     Source: numbers  [source]  id 3f5a...  uid "source"  stateful
 *   Vertex 2: Flat Map -> Sink: Print to Std. Out  (parallelism 2, max parallelism 128)
 *     Flat Map  [flatMap]  id 9c1e...  uid "stateful-mapper"  stateful
 *       Sink: Print to Std. Out  [print]  id 77b0...  no uid
 *
 *   Edges
 *     Source: numbers (vertex 1) -> vertex 2: HASH
 */
import type { JobGraph, JobVertex, OperatorDescriptor, RestartStrategySettings } from './job-graph.js';

export function describePlan(jobGraph: JobGraph): string {
  const lines: string[] = [`Job "${jobGraph.jobName}"`];
  lines.push(`  checkpointing: ${describeCheckpointing(jobGraph)}`);
  lines.push(`  restart strategy: ${describeRestartStrategy(jobGraph.restartStrategy)}`);
  if (jobGraph.maxParallelism !== undefined) lines.push(`  max parallelism: ${jobGraph.maxParallelism}`);
  lines.push('');

  const vertexNumber = new Map(jobGraph.vertices.map((v, i) => [v.id, i + 1]));
  jobGraph.vertices.forEach((vertex, i) => {
    lines.push(`Vertex ${i + 1}: ${vertex.name}  (parallelism ${vertex.parallelism}, max parallelism ${vertex.maxParallelism})`);
    for (const [operator, depth] of chainOrder(vertex)) lines.push(`${'  '.repeat(depth + 2)}${describeOperator(operator)}`);
  });

  if (jobGraph.edges.length > 0) {
    lines.push('', 'Edges');
    const operatorNames = new Map(jobGraph.vertices.flatMap((v) => v.operators.map((o) => [o.id, o.name] as const)));
    for (const edge of jobGraph.edges) {
      const side = edge.sideOutputTag === undefined ? '' : ` (side output "${edge.sideOutputTag}")`;
      lines.push(
        `  ${operatorNames.get(edge.sourceOperator) ?? edge.sourceOperator} (vertex ${vertexNumber.get(edge.sourceVertex)})` +
        ` -> vertex ${vertexNumber.get(edge.targetVertex)}: ${edge.partitioner.toUpperCase()}${side}`,
      );
    }
  }

  if (jobGraph.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const warning of jobGraph.warnings) lines.push(`  - ${warning}`);
  }
  return lines.join('\n');
}

function describeOperator(o: OperatorDescriptor): string {
  return [o.name, `[${o.kind}]`, `id ${o.id}`, o.uid === undefined ? 'no uid' : `uid "${o.uid}"`, ...(o.stateful ? ['stateful'] : [])]
    .join('  ');
}

/** Operators of a vertex depth-first from the head, with their depth in the chain. */
function chainOrder(vertex: JobVertex): [OperatorDescriptor, number][] {
  const byId = new Map(vertex.operators.map((o) => [o.id, o]));
  const result: [OperatorDescriptor, number][] = [];
  const visit = (o: OperatorDescriptor, depth: number): void => {
    result.push([o, depth]);
    for (const id of o.chainedOutputs) {
      const next = byId.get(id);
      if (next !== undefined) visit(next, depth + 1);
    }
  };
  if (vertex.operators[0] !== undefined) visit(vertex.operators[0], 0);
  return result;
}

function describeCheckpointing(jobGraph: JobGraph): string {
  const c = jobGraph.checkpoint;
  if (c.intervalMs === undefined || c.intervalMs <= 0) return 'not enabled in code';
  const parts = [`every ${c.intervalMs} ms, ${c.mode ?? 'EXACTLY_ONCE'}`];
  if (c.externalizedCleanup !== undefined) parts.push(`externalized checkpoints: ${c.externalizedCleanup}`);
  if (c.timeoutMs !== undefined) parts.push(`timeout ${c.timeoutMs} ms`);
  if (c.minPauseMs !== undefined) parts.push(`min pause ${c.minPauseMs} ms`);
  if (c.maxConcurrent !== undefined) parts.push(`max concurrent ${c.maxConcurrent}`);
  if (c.tolerableFailures !== undefined) parts.push(`tolerable failures ${c.tolerableFailures}`);
  return parts.join('; ');
}

function describeRestartStrategy(s: RestartStrategySettings | undefined): string {
  if (s === undefined) return 'cluster default';
  switch (s.type) {
    case 'none': return 'no restart';
    case 'fixed-delay': return `fixed delay (${s.attempts} attempts, ${s.delayMs} ms delay)`;
    case 'exponential-delay':
      return `exponential delay (${s.initialDelayMs} ms to ${s.maxDelayMs} ms, x${s.multiplier}` +
        `${s.attempts === undefined ? '' : `, ${s.attempts} attempts`})`;
  }
}
