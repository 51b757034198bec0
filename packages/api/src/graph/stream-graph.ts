/**
 * The stream graph (Flink's `StreamGraph`): one node per operator
 * transformation and one edge per (producer, consumer) pair, with the virtual
 * transformations resolved into edge properties:
 * - a partition transformation sets the edge's partitioner (the one closest to
 *   the consumer wins, so `rebalance().keyBy(f)` hashes);
 * - a union contributes one edge per input;
 * - a side output marks the edge with its tag.
 * An edge without explicit partitioner is 'forward' between equal
 * parallelisms and 'rebalance' otherwise, as in Flink.
 */
import type { PartitionerKind } from './job-graph.js';
import type { AnyKeySelector } from './operator-spec.js';
import type { OutputTag } from '../functions/output-tag.js';
import type { OperatorTransformation, Transformation } from './transformation.js';

export interface StreamNode {
  readonly transformation: OperatorTransformation;
  /** Resolved parallelism. */
  readonly parallelism: number;
  readonly inEdges: StreamEdge[];
  /** In creation order of the consumers. */
  readonly outEdges: StreamEdge[];
}

export interface StreamEdge {
  readonly source: StreamNode;
  readonly target: StreamNode;
  readonly partitioner: PartitionerKind;
  /** For 'hash' edges. */
  readonly keySelector?: AnyKeySelector;
  readonly sideOutputTag?: OutputTag<unknown>;
}

export interface StreamGraph {
  /** In creation order, which is a topological order. */
  readonly nodes: readonly StreamNode[];
  readonly chainingEnabled: boolean;
}

export interface StreamGraphOptions {
  readonly defaultParallelism: number;
  readonly chainingEnabled: boolean;
}

/** One resolved input of an operator: the producing operator plus what the virtual nodes on the way said. */
interface ResolvedInput {
  readonly origin: OperatorTransformation;
  readonly partitioner?: PartitionerKind;
  readonly keySelector?: AnyKeySelector;
  readonly sideOutputTag?: OutputTag<unknown>;
}

/** @throws Error on a forward edge between different parallelisms, or an input from another environment. */
export function buildStreamGraph(operators: readonly OperatorTransformation[], options: StreamGraphOptions): StreamGraph {
  const ordered = [...operators].sort((a, b) => a.id - b.id);
  const nodes = new Map<OperatorTransformation, StreamNode>();
  for (const t of ordered) {
    const parallelism = t.parallelism ?? (t.nonParallel ? 1 : options.defaultParallelism);
    const node: StreamNode = { transformation: t, parallelism, inEdges: [], outEdges: [] };
    nodes.set(t, node);
    for (const input of t.inputs.flatMap(resolveInputs)) {
      const source = nodes.get(input.origin);
      if (source === undefined) {
        throw new Error(`Operator "${t.displayName}" reads a stream of another execution environment; all streams of a job must come from the same environment.`);
      }
      const partitioner = choosePartitioner(input.partitioner, source, node);
      const edge: StreamEdge = {
        source, target: node, partitioner,
        ...(partitioner === 'hash' ? { keySelector: input.keySelector } : {}),
        ...(input.sideOutputTag === undefined ? {} : { sideOutputTag: input.sideOutputTag }),
      };
      source.outEdges.push(edge);
      node.inEdges.push(edge);
    }
  }
  return { nodes: [...nodes.values()], chainingEnabled: options.chainingEnabled };
}

function resolveInputs(t: Transformation): ResolvedInput[] {
  switch (t.type) {
    case 'operator':
      return [{ origin: t }];
    case 'partition':
      return resolveInputs(t.input).map((r) => ({ ...r, partitioner: t.partitioner, keySelector: t.keySelector }));
    case 'union':
      return t.inputs.flatMap(resolveInputs);
    case 'side-output':
      return [{ origin: t.input, sideOutputTag: t.tag }];
  }
}

function choosePartitioner(explicit: PartitionerKind | undefined, source: StreamNode, target: StreamNode): PartitionerKind {
  if (explicit === undefined) return source.parallelism === target.parallelism ? 'forward' : 'rebalance';
  if (explicit === 'forward' && source.parallelism !== target.parallelism) {
    throw new Error(
      `Forward partitioning does not allow change of parallelism. Upstream operation: ${source.transformation.displayName} ` +
      `parallelism: ${source.parallelism}, downstream operation: ${target.transformation.displayName} parallelism: ${target.parallelism}. ` +
      'You must use another partitioning strategy, such as broadcast, rebalance, shuffle or rescale.',
    );
  }
  return explicit;
}

/**
 * Whether `edge` joins its two operators into one chain (one task, direct
 * calls): chaining is enabled, the edge is a forward edge of the main output
 * between equal parallelisms, the consumer has no other input and allows chaining
 * with its input ('always'), the producer allows chaining with its outputs (not
 * 'never'), and both have the same explicit max parallelism (or none), so the
 * chain's vertex has one well-defined max parallelism.
 */
export function isChainable(edge: StreamEdge, chainingEnabled: boolean): boolean {
  const up = edge.source;
  const down = edge.target;
  return chainingEnabled
    && edge.partitioner === 'forward'
    && edge.sideOutputTag === undefined
    && down.inEdges.length === 1
    && up.parallelism === down.parallelism
    && down.transformation.chainingStrategy === 'always'
    && up.transformation.chainingStrategy !== 'never'
    && up.transformation.maxParallelism === down.transformation.maxParallelism;
}
