import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { RichFlatMapFunction, RichMapFunction } from '../functions/rich-function.js';
import { OutputTag } from '../functions/output-tag.js';
import type { Collector } from '../functions/collector.js';
import type { SourceContext, SourceFunction } from '../functions/source-function.js';
import { murmur3x64128, toHex } from './murmur3.js';
import type { JobGraph } from './job-graph.js';
import type { PlannedJob } from './planned-job.js';

const env = (parallelism = 2) => new StreamExecutionEnvironment({ parallelism });
const vertexNames = (g: JobGraph) => g.vertices.map((v) => v.name);
const opId = (plan: PlannedJob, name: string): string => {
  const ids = plan.jobGraph.vertices.flatMap((v) => v.operators).filter((o) => o.name === name).map((o) => o.id);
  assert.equal(ids.length, 1, `expected one operator named ${name}`);
  return ids[0]!;
};

class Counter extends RichFlatMapFunction<number, string> {
  flatMap(n: number, out: Collector<string>) { out.collect(String(n)); }
}

test('forward edges between equal parallelisms chain into one vertex', () => {
  const e = env();
  e.fromSequence(1, 10).map((n) => n * 2).filter((n) => n > 2).print();
  const { jobGraph } = e.buildPlan('chain');
  assert.deepEqual(vertexNames(jobGraph), ['Source: Sequence Source -> Map -> Filter -> Sink: Print to Std. Out']);
  const [v] = jobGraph.vertices;
  assert.equal(v!.isSource, true);
  assert.equal(v!.parallelism, 2);
  assert.deepEqual(v!.operators.map((o) => o.kind), ['source', 'map', 'filter', 'print']);
  assert.deepEqual(v!.operators[0]!.chainedOutputs, [v!.operators[1]!.id]);
  assert.deepEqual(v!.operators[3]!.chainedOutputs, []);
  assert.equal(v!.id, v!.operators[0]!.id);
  assert.deepEqual(jobGraph.edges, []);
});

test('keyBy and rebalance edges never chain; hash edges carry their key selector', () => {
  const e = env();
  e.fromSequence(1, 10).keyBy((n) => n % 3).map((n) => n).rebalance().print();
  const plan = e.buildPlan();
  const { jobGraph } = plan;
  assert.deepEqual(vertexNames(jobGraph), ['Source: Sequence Source', 'Map', 'Sink: Print to Std. Out']);
  assert.deepEqual(jobGraph.edges.map((x) => x.partitioner), ['hash', 'rebalance']);
  const [hashEdge] = jobGraph.edges;
  const sourceSpec = plan.operators.get(hashEdge!.sourceOperator)!;
  assert.equal(sourceSpec.outputKeySelectors.size, 1);
  assert.equal(sourceSpec.outputKeySelectors.get(0)!.getKey(7), 1);
  assert.deepEqual(jobGraph.vertices[0]!.operators[0]!.outputEdges, [0]);
  const mapSpec = plan.operators.get(hashEdge!.targetVertex)!;
  assert.equal(mapSpec.kind, 'map');
  assert.equal(mapSpec.keySelector!.getKey(8), 2);
  assert.equal(plan.operators.get(jobGraph.edges[1]!.sourceOperator)!.outputKeySelectors.size, 0);
});

test('a parallelism change without partitioner becomes rebalance; an explicit forward() is refused', () => {
  const e = env(2);
  e.fromSequence(1, 10).map((n) => n).setParallelism(3).print().setParallelism(3);
  const { jobGraph } = e.buildPlan();
  assert.deepEqual(vertexNames(jobGraph), ['Source: Sequence Source', 'Map -> Sink: Print to Std. Out']);
  assert.deepEqual(jobGraph.edges.map((x) => x.partitioner), ['rebalance']);
  assert.deepEqual(jobGraph.vertices.map((v) => v.parallelism), [2, 3]);

  const f = env(2);
  f.fromSequence(1, 10).forward().map((n) => n).setParallelism(3);
  assert.throws(() => f.buildPlan(), {
    message: 'Forward partitioning does not allow change of parallelism. Upstream operation: Source: Sequence Source parallelism: 2, ' +
      'downstream operation: Map parallelism: 3. You must use another partitioning strategy, such as broadcast, rebalance, shuffle or rescale.',
  });
});

test('disableChaining, startNewChain and env-wide disableOperatorChaining', () => {
  const a = env();
  a.fromSequence(1, 10).map((n) => n).disableChaining().filter(() => true).print();
  assert.deepEqual(vertexNames(a.buildPlan().jobGraph), ['Source: Sequence Source', 'Map', 'Filter -> Sink: Print to Std. Out']);

  const b = env();
  b.fromSequence(1, 10).map((n) => n).filter(() => true).startNewChain().print();
  assert.deepEqual(vertexNames(b.buildPlan().jobGraph), ['Source: Sequence Source -> Map', 'Filter -> Sink: Print to Std. Out']);

  const c = env();
  c.disableOperatorChaining();
  c.fromSequence(1, 10).map((n) => n).print();
  const g = c.buildPlan().jobGraph;
  assert.deepEqual(vertexNames(g), ['Source: Sequence Source', 'Map', 'Sink: Print to Std. Out']);
  assert.deepEqual(g.edges.map((x) => x.partitioner), ['forward', 'forward']);
});

test('an operator feeding two chained operators is named like Flink: A -> (B, C)', () => {
  const e = env();
  const s = e.fromSequence(1, 10);
  s.map((n) => n).print();
  s.filter(() => true).print();
  assert.deepEqual(vertexNames(e.buildPlan().jobGraph), [
    'Source: Sequence Source -> (Map -> Sink: Print to Std. Out, Filter -> Sink: Print to Std. Out)',
  ]);
});

function program(withExtraFilter: boolean): PlannedJob {
  const e = env();
  let s = e.fromSequence(1, 100).map((n) => n + 1);
  if (withExtraFilter) s = s.filter((n) => n > 0);
  s.keyBy((n) => n % 10).flatMap(new Counter()).print();
  return e.buildPlan('ids');
}

test('generated ids are 32 hex, stable across builds, and change with the topology', () => {
  const first = program(false);
  const second = program(false);
  const ids = (p: PlannedJob) => p.jobGraph.vertices.flatMap((v) => v.operators.map((o) => o.id));
  assert.deepEqual(ids(first), ids(second));
  for (const id of ids(first)) assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(new Set(ids(first)).size, ids(first).length);
  const changed = program(true);
  assert.notEqual(opId(changed, 'Flat Map'), opId(first, 'Flat Map'));
  assert.notEqual(opId(changed, 'Map'), opId(first, 'Map'), 'Map gained a chained output');
});

test('a uid gives the same id wherever the operator sits; setUidHash sets it verbatim', () => {
  const a = env();
  a.fromSequence(1, 10).uid('source').keyBy((n) => n).flatMap(new Counter()).uid('counter').print();
  const b = env(4);
  b.fromSequence(1, 10).uid('source').map((n) => n).filter(() => true).keyBy((n) => n)
    .flatMap(new Counter()).uid('counter').print();
  const pa = a.buildPlan();
  const pb = b.buildPlan();
  assert.equal(opId(pa, 'Flat Map'), opId(pb, 'Flat Map'));
  assert.equal(opId(pa, 'Flat Map'), toHex(murmur3x64128(new TextEncoder().encode('counter'))));
  assert.equal(pa.jobGraph.vertices[1]!.operators[0]!.uid, 'counter');
  assert.equal(pa.operators.get(opId(pa, 'Flat Map'))!.uid, 'counter');

  const c = env();
  c.fromSequence(1, 10).setUidHash('FD72014D4C864993A2E5A9287B4A9C5D').print();
  assert.equal(c.buildPlan().jobGraph.vertices[0]!.id, 'fd72014d4c864993a2e5a9287b4a9c5d');
  assert.throws(() => c.fromSequence(1, 2).setUidHash('xyz'), /setUidHash\(\) needs 32 hexadecimal characters/);
});

test('two operators with the same uid fail with Flink\'s message', () => {
  const e = env();
  e.fromSequence(1, 10).uid('dup').map((n) => n).uid('dup').print();
  assert.throws(() => e.buildPlan(), {
    message: 'Hash collision on user-specified ID "dup". Most likely cause is a non-unique ID. Please check that all IDs specified via `uid(String)` are unique.',
  });
  const f = env();
  f.fromSequence(1, 10).setUidHash('00000000000000000000000000000001').map((n) => n).setUidHash('00000000000000000000000000000001');
  assert.throws(() => f.buildPlan(), /have the same id 00000000000000000000000000000001; ids set with setUidHash\(\) must be unique/);
});

test('max parallelism: operator, then environment, then Flink\'s derived default', () => {
  const maxOf = (e: StreamExecutionEnvironment) => e.buildPlan().jobGraph.vertices.map((v) => v.maxParallelism);
  const a = env(1);
  a.fromSequence(1, 10).map((n) => n).setParallelism(100).rebalance().map((n) => n).setParallelism(200);
  assert.deepEqual(maxOf(a), [128, 256, 512]);

  const b = env(2);
  b.setMaxParallelism(64);
  b.fromSequence(1, 10).keyBy((n) => n).map((n) => n).setMaxParallelism(1024);
  assert.deepEqual(maxOf(b), [64, 1024]);
  assert.equal(b.buildPlan().jobGraph.maxParallelism, 64);
  assert.equal(b.buildPlan().operators.get(opId(b.buildPlan(), 'Map'))!.maxParallelism, 1024);

  const c = env(2);
  c.fromSequence(1, 10).map((n) => n).setMaxParallelism(256);
  assert.deepEqual(maxOf(c), [128, 256], 'different explicit max parallelism does not chain');

  const d = env(300);
  d.setMaxParallelism(256);
  d.fromSequence(1, 10);
  assert.throws(() => d.buildPlan(), /The parallelism \(300\) of operator "Source: Sequence Source" is larger than its max parallelism \(256\)/);
  assert.throws(() => d.setMaxParallelism(40_000), /between 1 and 32768/);
});

test('union gives one vertex with two input edges', () => {
  const e = env();
  const a = e.fromSequence(1, 10);
  const b = e.fromElements(100, 200);
  a.union(b).map((n) => n).print();
  const { jobGraph } = e.buildPlan();
  assert.deepEqual(vertexNames(jobGraph), ['Source: Sequence Source', 'Source: Collection Source', 'Map -> Sink: Print to Std. Out']);
  const mapVertex = jobGraph.vertices[2]!.id;
  const into = jobGraph.edges.filter((x) => x.targetVertex === mapVertex);
  assert.equal(into.length, 2);
  assert.deepEqual(into.map((x) => [x.sourceVertex, x.partitioner, x.targetInput]), [
    [jobGraph.vertices[0]!.id, 'forward', 0],
    [jobGraph.vertices[1]!.id, 'rebalance', 0],
  ]);
});

test('side outputs are network edges tagged with the tag id', () => {
  const e = env();
  const late = new OutputTag<number>('odd');
  const main = e.fromSequence(1, 10).process<number>((n, ctx, out) => (n % 2 ? ctx.output(late, n) : out.collect(n)));
  main.print();
  main.getSideOutput(late).map((n) => n).print();
  const { jobGraph } = e.buildPlan();
  assert.deepEqual(vertexNames(jobGraph), ['Source: Sequence Source -> Process -> Sink: Print to Std. Out', 'Map -> Sink: Print to Std. Out']);
  assert.deepEqual(jobGraph.edges, [{
    sourceVertex: jobGraph.vertices[0]!.id, sourceOperator: jobGraph.vertices[0]!.operators[1]!.id,
    targetVertex: jobGraph.vertices[1]!.id, partitioner: 'forward', targetInput: 0, sideOutputTag: 'odd',
  }]);
});

test('stateful operators without uid are warned about', () => {
  class Plain extends RichMapFunction<number, number> { map(n: number) { return n; } }
  const e = env();
  e.fromSequence(1, 10).uid('numbers')
    .map(new Plain())                       // rich but not keyed: no state
    .keyBy((n) => n % 2).flatMap(new Counter())      // rich on keyed stream: state, no uid
    .keyBy((s) => s).map((s) => s.length)     // plain lambda on keyed stream: no state
    .keyBy((n) => n).reduce((x, y) => x + y).uid('sum') // keyed reduce with uid: fine
    .print();
  const plan = e.buildPlan();
  const id = opId(plan, 'Flat Map');
  assert.deepEqual(plan.jobGraph.warnings, [
    `Operator "Flat Map" (id ${id}) keeps state but has no uid: its state cannot be restored after the job's topology changes. Set one with .uid("...").`,
  ]);
  const stateful = plan.jobGraph.vertices.flatMap((v) => v.operators).filter((o) => o.stateful).map((o) => o.name);
  assert.deepEqual(stateful, ['Source: Sequence Source', 'Flat Map', 'Keyed Reduce']);
  const src = env();
  src.fromElements(1).print();
  assert.match(src.buildPlan().jobGraph.warnings[0]!, /^Operator "Source: Collection Source" \(id [0-9a-f]{32}\) keeps state but has no uid/);
});

test('non-parallel legacy sources run with parallelism 1 and refuse more', () => {
  const source: SourceFunction<number> = { async run(ctx: SourceContext<number>) { ctx.collect(1); }, cancel() {} };
  const e = env(4);
  const s = e.addSource(source, 'one');
  s.map((n) => n).print();
  const { jobGraph } = e.buildPlan();
  assert.deepEqual(jobGraph.vertices.map((v) => [v.name, v.parallelism]), [['Source: one', 1], ['Map -> Sink: Print to Std. Out', 4]]);
  assert.equal(jobGraph.edges[0]!.partitioner, 'rebalance');
  assert.throws(() => s.setParallelism(2), /The parallelism of non parallel operator must be 1\./);
  const parallel = env(4);
  parallel.addSource({ ...source, isParallel: true as const }).print();
  assert.equal(parallel.buildPlan().jobGraph.vertices[0]!.parallelism, 4);
});

test('the JobGraph survives JSON and carries the job settings', () => {
  const e = env();
  e.enableCheckpointing(5000);
  e.getCheckpointConfig().enableExternalizedCheckpoints('RETAIN_ON_CANCELLATION');
  e.fromSequence(1, 10).keyBy((n) => n % 2).sum().uid('sum').print();
  const { jobGraph } = e.buildPlan('Settings');
  assert.deepEqual(JSON.parse(JSON.stringify(jobGraph)), jobGraph);
  assert.equal(jobGraph.jobName, 'Settings');
  assert.deepEqual(jobGraph.checkpoint, { intervalMs: 5000, externalizedCleanup: 'RETAIN_ON_CANCELLATION' });
  assert.equal(jobGraph.restartStrategy, undefined);
  assert.throws(() => env().buildPlan(), /No operators defined in streaming topology\. Cannot execute\./);
});
