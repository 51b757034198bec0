/**
 * Turns the recorded transformations into a PlannedJob (Flink's
 * `StreamingJobGraphGenerator`): builds the stream graph, assigns operator ids,
 * chains operators into vertices (DESIGN.md section 5), lays out the network
 * edges, and pairs every operator's descriptor with its live spec.
 */
import type {
  JobCheckpointSettings, JobEdge, JobGraph, JobVertex, OperatorDescriptor, RestartStrategySettings,
} from './job-graph.js';
import { isStatefulOperator } from './operator-spec.js';
import type { AnyKeySelector, OperatorSpec } from './operator-spec.js';
import type { PlannedJob } from './planned-job.js';
import { assignOperatorIds } from './operator-id-hasher.js';
import { defaultMaxParallelism } from './parallelism.js';
import { buildStreamGraph, isChainable } from './stream-graph.js';
import type { StreamEdge, StreamNode } from './stream-graph.js';
import type { OperatorTransformation } from './transformation.js';

/** Everything the generator needs from the environment. */
export interface PlanInput {
  readonly jobName: string;
  /** The operator transformations in creation order. */
  readonly operators: readonly OperatorTransformation[];
  readonly defaultParallelism: number;
  /** The environment's max parallelism, if set. */
  readonly maxParallelism?: number;
  readonly chainingEnabled: boolean;
  readonly checkpoint: JobCheckpointSettings;
  readonly restartStrategy?: RestartStrategySettings;
}

interface Chain {
  readonly head: StreamNode;
  /** Head first, then the chained operators in creation (= topological) order. */
  readonly members: StreamNode[];
  readonly maxParallelism: number;
}

/** @throws Error for an empty job, id collisions, bad forward edges or parallelism above max parallelism. */
export function generatePlannedJob(input: PlanInput): PlannedJob {
  if (input.operators.length === 0) throw new Error('No operators defined in streaming topology. Cannot execute.');
  const graph = buildStreamGraph(input.operators, {
    defaultParallelism: input.defaultParallelism, chainingEnabled: input.chainingEnabled,
  });
  const chainable = new Set<StreamEdge>();
  for (const node of graph.nodes) {
    for (const edge of node.outEdges) if (isChainable(edge, graph.chainingEnabled)) chainable.add(edge);
  }
  const ids = assignOperatorIds(graph, (edge) => chainable.has(edge));
  const chains = buildChains(graph.nodes, chainable, input.maxParallelism);
  const chainOf = new Map<StreamNode, Chain>();
  for (const chain of chains) for (const member of chain.members) chainOf.set(member, chain);

  const edges: JobEdge[] = [];
  const outputEdges = new Map<StreamNode, number[]>();
  const outputKeySelectors = new Map<StreamNode, Map<number, AnyKeySelector>>();
  for (const chain of chains) {
    for (const member of chain.members) {
      const own: number[] = [];
      const selectors = new Map<number, AnyKeySelector>();
      for (const edge of member.outEdges) {
        if (chainable.has(edge)) continue;
        const index = edges.length;
        edges.push({
          sourceVertex: ids.get(chain.head)!,
          sourceOperator: ids.get(member)!,
          targetVertex: ids.get(chainOf.get(edge.target)!.head)!,
          partitioner: edge.partitioner,
          targetInput: 0,
          ...(edge.sideOutputTag === undefined ? {} : { sideOutputTag: edge.sideOutputTag.id }),
        });
        own.push(index);
        if (edge.keySelector !== undefined) selectors.set(index, edge.keySelector);
      }
      outputEdges.set(member, own);
      outputKeySelectors.set(member, selectors);
    }
  }

  const operators = new Map<string, OperatorSpec>();
  const warnings: string[] = [];
  const vertices: JobVertex[] = chains.map((chain) => {
    const descriptors = chain.members.map((member): OperatorDescriptor => {
      const t = member.transformation;
      const id = ids.get(member)!;
      const stateful = isStatefulOperator(t.body);
      if (stateful && t.uid === undefined && t.uidHash === undefined) {
        warnings.push(`Operator "${t.displayName}" (id ${id}) keeps state but has no uid: its state cannot be restored after the job's topology changes. Set one with .uid("...").`);
      }
      operators.set(id, {
        ...t.body,
        id,
        ...(t.uid === undefined ? {} : { uid: t.uid }),
        name: t.displayName,
        parallelism: member.parallelism,
        maxParallelism: chain.maxParallelism,
        outputKeySelectors: outputKeySelectors.get(member)!,
      } as OperatorSpec);
      return {
        id,
        ...(t.uid === undefined ? {} : { uid: t.uid }),
        name: t.displayName,
        kind: t.body.kind,
        stateful,
        chainedOutputs: member.outEdges.filter((e) => chainable.has(e)).map((e) => ids.get(e.target)!),
        outputEdges: outputEdges.get(member)!,
      };
    });
    return {
      id: ids.get(chain.head)!,
      name: chainedName(chain.head, chainable),
      parallelism: chain.head.parallelism,
      maxParallelism: chain.maxParallelism,
      operators: descriptors,
      isSource: chain.head.transformation.role === 'source',
    };
  });

  const jobGraph: JobGraph = {
    jobName: input.jobName,
    vertices,
    edges,
    ...(input.maxParallelism === undefined ? {} : { maxParallelism: input.maxParallelism }),
    checkpoint: { ...input.checkpoint },
    ...(input.restartStrategy === undefined ? {} : { restartStrategy: input.restartStrategy }),
    warnings,
  };
  return { jobGraph, operators };
}

/** One chain per node without a chainable input; source chains first, each group in creation order. */
function buildChains(nodes: readonly StreamNode[], chainable: Set<StreamEdge>, envMaxParallelism: number | undefined): Chain[] {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const heads = nodes.filter((n) => !n.inEdges.some((e) => chainable.has(e)));
  const sorted = [
    ...heads.filter((h) => h.transformation.role === 'source'),
    ...heads.filter((h) => h.transformation.role !== 'source'),
  ];
  return sorted.map((head) => {
    const members: StreamNode[] = [];
    const visit = (node: StreamNode): void => {
      members.push(node);
      for (const edge of node.outEdges) if (chainable.has(edge)) visit(edge.target);
    };
    visit(head);
    members.sort((a, b) => order.get(a)! - order.get(b)!);
    const explicit = members.find((m) => m.transformation.maxParallelism !== undefined)?.transformation.maxParallelism;
    const maxParallelism = explicit ?? envMaxParallelism ?? defaultMaxParallelism(head.parallelism);
    if (head.parallelism > maxParallelism) {
      throw new Error(
        `The parallelism (${head.parallelism}) of operator "${head.transformation.displayName}" is larger than its max parallelism (${maxParallelism}). ` +
        'Lower the parallelism or raise the max parallelism.',
      );
    }
    return { head, members, maxParallelism };
  });
}

/** Flink's chain name: "A -> B", or "A -> (B, C)" when A feeds several chained operators. */
function chainedName(node: StreamNode, chainable: Set<StreamEdge>): string {
  const children = node.outEdges.filter((e) => chainable.has(e)).map((e) => chainedName(e.target, chainable));
  const name = node.transformation.displayName;
  if (children.length === 0) return name;
  if (children.length === 1) return `${name} -> ${children[0]}`;
  return `${name} -> (${children.join(', ')})`;
}
