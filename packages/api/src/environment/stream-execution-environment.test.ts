import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamExecutionEnvironment } from './stream-execution-environment.js';
import { registerBuiltinSources } from './builtin-sources.js';
import { CheckpointingMode } from '../execution/checkpointing-mode.js';
import { RestartStrategies } from '../execution/restart-strategies.js';
import { WatermarkStrategy } from '../watermark/watermark-strategy.js';
import { FromElementsSource } from '../source/from-elements-source.js';
import type { SourceFunction } from '../functions/source-function.js';

test('settings travel into the JobGraph', () => {
  const env = new StreamExecutionEnvironment();
  env.enableCheckpointing(2000, CheckpointingMode.AT_LEAST_ONCE).setRestartStrategy(RestartStrategies.noRestart());
  env.getCheckpointConfig().setTolerableCheckpointFailureNumber(2);
  env.fromSequence(0, 1).print();
  const g = env.buildPlan().jobGraph;
  assert.deepEqual(g.checkpoint, { intervalMs: 2000, mode: 'AT_LEAST_ONCE', tolerableFailures: 2 });
  assert.deepEqual(g.restartStrategy, { type: 'none' });
  assert.throws(() => env.setParallelism(0), /The parallelism must be a positive integer, got 0\./);
  assert.throws(() => env.setRestartStrategy({ type: 'sometimes' } as never), /setRestartStrategy\(\) expects a strategy from RestartStrategies/);
});

test('fromSource keeps the source and its watermark strategy in the spec', () => {
  const env = new StreamExecutionEnvironment({ parallelism: 2 });
  const source = new FromElementsSource([1, 2, 3]);
  const strategy = WatermarkStrategy.forMonotonousTimestamps<number>();
  env.fromSource(source, strategy, 'numbers').print();
  const plan = env.buildPlan();
  const spec = plan.operators.get(plan.jobGraph.vertices[0]!.id)!;
  assert.equal(spec.kind, 'source');
  assert.equal(spec.name, 'Source: numbers');
  assert.equal(spec.parallelism, 2);
  if (spec.kind !== 'source') return;
  assert.equal(spec.source, source);
  assert.equal(spec.watermarkStrategy, strategy);
  assert.throws(() => env.fromSource({} as never, strategy, 'x'), /fromSource\(\) expects a Source/);
  assert.throws(() => env.fromSource(source, {} as never, 'x'), /fromSource\(\) expects a WatermarkStrategy as second argument/);
  assert.throws(() => env.fromElements(), /fromElements needs at least one element as argument/);
});

test('readTextFile and socketTextStream need the connectors, then use their factories', () => {
  const env = new StreamExecutionEnvironment({ parallelism: 3 });
  assert.throws(() => env.readTextFile('/tmp/in.txt'), { message: "env.readTextFile() needs the built-in connectors: import '@tsflink/connectors' to use readTextFile." });
  const calls: unknown[][] = [];
  const socketSource: SourceFunction<string> = { async run() {}, cancel() {} };
  registerBuiltinSources({
    readTextFile: (path, charset) => { calls.push([path, charset]); return new FromElementsSource(['line']); },
    socketTextStream: (...args) => { calls.push(args); return socketSource; },
  });
  env.readTextFile('/tmp/in.txt').print();
  env.socketTextStream('localhost', 9999).print();
  assert.deepEqual(calls, [['/tmp/in.txt', 'UTF-8'], ['localhost', 9999, '\n', 0]]);
  const plan = env.buildPlan();
  const sources = plan.jobGraph.vertices.filter((v) => v.isSource);
  assert.deepEqual(sources.map((v) => [v.operators[0]!.name, v.operators[0]!.kind, v.parallelism]), [
    ['Source: Custom File Source', 'source', 3],
    ['Source: Socket Stream', 'source-function', 1],
  ]);
});
