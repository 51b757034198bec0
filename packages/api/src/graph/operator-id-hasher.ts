/**
 * Operator ids (Flink's `StreamGraphHasherV2`), 32 lowercase hex chars:
 * - `setUidHash(hex)`: that id, verbatim;
 * - `uid(s)`: murmur3_x64_128 (seed 0) of the UTF-8 bytes of `s`, the 16 bytes in
 *   hex, the recipe Flink uses. Stable whatever the topology;
 * - otherwise a hash of the operator's position: the graph is walked breadth
 *   first from the sources (in creation order); an operator is hashed once all
 *   its inputs are, from the number of operators hashed before it (written once,
 *   plus once per chainable output), and the result is combined byte by byte
 *   with each input's hash (`h = h * 37 ^ input`). So the id is the same for two
 *   builds of the same program and changes when the topology before the
 *   operator, or its chaining, changes.
 */
import { fromHex, murmur3x64128, toHex } from './murmur3.js';
import type { StreamEdge, StreamGraph, StreamNode } from './stream-graph.js';

/**
 * @param isChainable decides which out-edges count as chained outputs.
 * @throws Error on two operators with the same uid (Flink's message) or the same uid hash.
 */
export function assignOperatorIds(graph: StreamGraph, isChainable: (edge: StreamEdge) => boolean): Map<StreamNode, string> {
  const hashes = new Map<StreamNode, Uint8Array>();
  const owners = new Map<string, StreamNode>();
  const remaining: StreamNode[] = graph.nodes.filter((n) => n.inEdges.length === 0);
  const queued = new Set<StreamNode>(remaining);

  while (remaining.length > 0) {
    const node = remaining.shift()!;
    const hash = hashNode(node, hashes, isChainable);
    if (hash === undefined) {
      queued.delete(node); // revisited once its last input is hashed
      continue;
    }
    claim(toHex(hash), node, owners);
    hashes.set(node, hash);
    for (const edge of node.outEdges) {
      if (!queued.has(edge.target)) {
        queued.add(edge.target);
        remaining.push(edge.target);
      }
    }
  }

  const ids = new Map<StreamNode, string>();
  for (const node of graph.nodes) {
    const hash = hashes.get(node);
    if (hash === undefined) throw new Error(`Internal error: operator "${node.transformation.displayName}" got no id.`);
    ids.set(node, toHex(hash));
  }
  return ids;
}

/** The node's hash, or undefined when an input is not hashed yet. */
function hashNode(
  node: StreamNode, hashes: Map<StreamNode, Uint8Array>, isChainable: (edge: StreamEdge) => boolean,
): Uint8Array | undefined {
  const t = node.transformation;
  if (t.uidHash !== undefined) return fromHex(t.uidHash);
  if (t.uid !== undefined) return murmur3x64128(new TextEncoder().encode(t.uid));
  if (node.inEdges.some((e) => !hashes.has(e.source))) return undefined;

  const position = hashes.size;
  const ints = [position, ...node.outEdges.filter(isChainable).map(() => position)];
  const bytes = new Uint8Array(ints.length * 4);
  const view = new DataView(bytes.buffer);
  ints.forEach((value, i) => view.setInt32(i * 4, value, true));
  const hash = murmur3x64128(bytes);
  for (const edge of node.inEdges) {
    const inputHash = hashes.get(edge.source)!;
    for (let j = 0; j < hash.length; j++) hash[j] = ((hash[j]! * 37) ^ inputHash[j]!) & 0xff;
  }
  return hash;
}

function claim(id: string, node: StreamNode, owners: Map<string, StreamNode>): void {
  const previous = owners.get(id);
  if (previous === undefined) {
    owners.set(id, node);
    return;
  }
  const t = node.transformation;
  const p = previous.transformation;
  const uid = t.uidHash === undefined && t.uid !== undefined ? t.uid
    : p.uidHash === undefined && p.uid !== undefined ? p.uid : undefined;
  if (uid !== undefined) {
    throw new Error(`Hash collision on user-specified ID "${uid}". Most likely cause is a non-unique ID. Please check that all IDs specified via \`uid(String)\` are unique.`);
  }
  throw new Error(`Operators "${p.displayName}" and "${t.displayName}" have the same id ${id}; ids set with setUidHash() must be unique.`);
}
