import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { RestartStrategies } from '../execution/restart-strategies.js';
import { RichFlatMapFunction } from '../functions/rich-function.js';
import type { Collector } from '../functions/collector.js';
import { describePlan } from './describe-plan.js';

class Counter extends RichFlatMapFunction<number, string> {
  flatMap(n: number, out: Collector<string>) { out.collect(String(n)); }
}

test('describePlan lists settings, vertices with their chains, edges and warnings', () => {
  const env = new StreamExecutionEnvironment({ parallelism: 2 });
  env.enableCheckpointing(5000);
  env.getCheckpointConfig().enableExternalizedCheckpoints('RETAIN_ON_CANCELLATION');
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 1000));
  env.fromSequence(1, 100).uid('numbers').setParallelism(1)
    .keyBy((n) => n % 10).flatMap(new Counter())
    .print();
  const { jobGraph } = env.buildPlan('CheckpointExample');
  const [source, counter] = jobGraph.vertices;
  const src = source!.operators[0]!;
  const fm = counter!.operators[0]!;
  const sink = counter!.operators[1]!;
  assert.equal(describePlan(jobGraph), [
    'Job "CheckpointExample"',
    '  checkpointing: every 5000 ms, EXACTLY_ONCE; externalized checkpoints: RETAIN_ON_CANCELLATION',
    '  restart strategy: fixed delay (3 attempts, 1000 ms delay)',
    '',
    'Vertex 1: Source: Sequence Source  (parallelism 1, max parallelism 128)',
    `    Source: Sequence Source  [source]  id ${src.id}  uid "numbers"  stateful`,
    'Vertex 2: Flat Map -> Sink: Print to Std. Out  (parallelism 2, max parallelism 128)',
    `    Flat Map  [flatMap]  id ${fm.id}  no uid  stateful`,
    `      Sink: Print to Std. Out  [print]  id ${sink.id}  no uid`,
    '',
    'Edges',
    '  Source: Sequence Source (vertex 1) -> vertex 2: HASH',
    '',
    'Warnings',
    `  - Operator "Flat Map" (id ${fm.id}) keeps state but has no uid: its state cannot be restored after the job's topology changes. Set one with .uid("...").`,
  ].join('\n'));
});

test('describePlan of a job without checkpointing or edges', () => {
  const env = new StreamExecutionEnvironment();
  env.setMaxParallelism(16);
  env.fromElements('a').uid('letters').print();
  const text = describePlan(env.buildPlan('Tiny').jobGraph);
  assert.match(text, /^Job "Tiny"\n  checkpointing: not enabled in code\n  restart strategy: cluster default\n  max parallelism: 16\n/);
  assert.doesNotMatch(text, /Edges|Warnings/);
});
