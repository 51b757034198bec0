import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { KeyedProcessFunction } from '../functions/keyed-process-function.js';
import type { KeyedProcessFunctionContext } from '../functions/keyed-process-function.js';
import { OutputTag } from '../functions/output-tag.js';
import type { Collector } from '../functions/collector.js';
import type { AggregateFunction } from '../functions/functions.js';
import { WatermarkStrategy } from '../watermark/watermark-strategy.js';
import { TumblingEventTimeWindows } from '../windowing/window-assigners.js';
import { Time } from '../windowing/time.js';
import { ProcessWindowFunction } from '../windowing/process-window-function.js';
import type { ProcessWindowFunctionContext } from '../windowing/process-window-function.js';
import type { Sink } from '../sink/sink.js';
import type { OperatorSpec } from '../graph/operator-spec.js';
import type { PlannedJob } from '../graph/planned-job.js';

function specs(plan: PlannedJob): OperatorSpec[] {
  return plan.jobGraph.vertices.flatMap((v) => v.operators.map((o) => plan.operators.get(o.id)!));
}

function specNamed(plan: PlannedJob, name: string): OperatorSpec {
  const found = specs(plan).find((s) => s.name === name);
  assert.ok(found, `no operator named ${name}`);
  return found;
}

test('lambdas become callable objects in the specs; keyed operators get the key selector', () => {
  const env = new StreamExecutionEnvironment();
  env.fromElements('a b', 'c')
    .flatMap((line: string, out: Collector<string>) => line.split(' ').forEach((w) => out.collect(w)))
    .keyBy((w) => w)
    .map((w) => w.length)
    .print('counts');
  const plan = env.buildPlan();
  const flatMap = specNamed(plan, 'Flat Map');
  assert.equal(flatMap.kind, 'flatMap');
  assert.equal(flatMap.keySelector, undefined);
  const words: unknown[] = [];
  if (flatMap.kind === 'flatMap') flatMap.userFunction.flatMap('x y', { collect: (w) => words.push(w) });
  assert.deepEqual(words, ['x', 'y']);
  const map = specNamed(plan, 'Map');
  assert.equal(map.kind === 'map' && map.userFunction.map('abc'), 3);
  assert.equal(map.keySelector!.getKey('k'), 'k');
  const print = specNamed(plan, 'Sink: Print to Std. Out');
  assert.deepEqual(print.kind === 'print' && [print.target, print.sinkIdentifier], ['stdout', 'counts']);
});

test('KeyedStream.process, reduce and sum build keyed operators', () => {
  class Timeout extends KeyedProcessFunction<string, string, string> {
    processElement(value: string, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>) {
      ctx.timerService().registerEventTimeTimer(1000);
      out.collect(value);
    }
  }
  const env = new StreamExecutionEnvironment();
  const fn = new Timeout();
  const keyed = env.fromElements('a', 'b').uid('letters').keyBy((s) => s);
  keyed.process(fn).uid('timeout');
  keyed.reduce((a, b) => a + b).uid('concat');
  env.fromElements<[string, number]>(['a', 1], ['a', 2]).uid('pairs').keyBy((t) => t[0]).sum(1).uid('sum');
  const plan = env.buildPlan();
  const process = specNamed(plan, 'KeyedProcess');
  assert.equal(process.kind, 'keyedProcess');
  assert.equal(process.kind === 'keyedProcess' && process.userFunction, fn);
  assert.equal(process.keySelector!.getKey('z'), 'z');
  const reduce = specNamed(plan, 'Keyed Reduce');
  assert.equal(reduce.kind === 'reduce' && reduce.userFunction.reduce('a', 'b'), 'ab');
  const sum = specNamed(plan, 'Keyed Aggregation');
  assert.deepEqual(sum.kind === 'reduce' && sum.userFunction.reduce(['a', 1], ['a', 2]), ['a', 3]);
  assert.deepEqual(plan.jobGraph.warnings, []);
});

test('a keyed stream refuses other partitionings; union needs one environment', () => {
  const env = new StreamExecutionEnvironment();
  const keyed = env.fromElements(1).keyBy((n) => n);
  assert.throws(() => keyed.rebalance(), { message: 'Cannot override partitioning for KeyedStream.' });
  assert.throws(() => keyed.forward(), { message: 'Cannot override partitioning for KeyedStream.' });
  const other = new StreamExecutionEnvironment().fromElements(2);
  assert.throws(() => env.fromElements(1).union(other), /Cannot union streams of different execution environments/);
});

test('window operators record assigner, lateness, late-data tag and window function', () => {
  class Summary extends ProcessWindowFunction<number, string, string> {
    process(key: string, ctx: ProcessWindowFunctionContext, elements: Iterable<number>, out: Collector<string>) {
      out.collect(`${key}@${ctx.window().getStart()}:${[...elements].join(',')}`);
    }
  }
  const average: AggregateFunction<number, [number, number], number> = {
    createAccumulator: () => [0, 0],
    add: (v, [s, c]) => [s + v, c + 1],
    getResult: ([s, c]) => s / c,
    merge: ([s1, c1], [s2, c2]) => [s1 + s2, c1 + c2],
  };
  const env = new StreamExecutionEnvironment();
  const late = new OutputTag<number>('late');
  const keyed = env.fromElements(1, 2, 3)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<number>(100).withTimestampAssigner((n) => n * 1000))
    .keyBy((n) => String(n % 2));
  const reduced = keyed.window(TumblingEventTimeWindows.of(Time.seconds(5)))
    .allowedLateness(Time.seconds(1)).sideOutputLateData(late)
    .reduce((a, b) => a + b, new Summary()).uid('reduce-window');
  reduced.getSideOutput(late).print();
  keyed.window(TumblingEventTimeWindows.of(Time.seconds(5))).aggregate(average).uid('avg');
  keyed.window(TumblingEventTimeWindows.of(Time.seconds(5))).process(new Summary()).uid('all');

  const plan = env.buildPlan();
  const r = specNamed(plan, 'Window(TumblingEventTimeWindows(5000), ReduceFunction)');
  assert.equal(r.kind, 'window');
  if (r.kind !== 'window') return;
  assert.equal(r.allowedLateness, 1000);
  assert.equal(r.lateDataOutputTag, late);
  assert.equal(r.keySelector.getKey(3), '1');
  assert.equal(r.windowFunction.type, 'reduce');
  assert.ok(r.windowFunction.type === 'reduce' && r.windowFunction.processWindowFunction instanceof Summary);
  const lateEdge = plan.jobGraph.edges.find((e) => e.sideOutputTag === 'late');
  assert.equal(lateEdge?.sourceOperator, r.id);

  const a = specNamed(plan, 'Window(TumblingEventTimeWindows(5000), AggregateFunction)');
  assert.ok(a.kind === 'window' && a.windowFunction.type === 'aggregate' && a.windowFunction.aggregateFunction === average);
  const p = specNamed(plan, 'Window(TumblingEventTimeWindows(5000), Summary)');
  assert.ok(p.kind === 'window' && p.windowFunction.type === 'process' && p.allowedLateness === 0);

  const ts = specNamed(plan, 'Timestamps/Watermarks');
  assert.ok(ts.kind === 'timestamps-watermarks' && ts.watermarkStrategy.createTimestampAssigner().extractTimestamp(3, 0) === 3000);
  assert.throws(() => keyed.window(TumblingEventTimeWindows.of(10)).allowedLateness(-1), /The allowed lateness cannot be negative\./);
});

test('sinks: addSink normalises lambdas, sinkTo keeps the sink and its statefulness', () => {
  const env = new StreamExecutionEnvironment();
  const seen: number[] = [];
  const fileSink: Sink<number> = {
    stateful: true,
    createWriter: () => ({ write: () => {} }),
  };
  const s = env.fromElements(1, 2).uid('nums');
  s.addSink((v) => { seen.push(v); }).name('collect').uid('collect');
  s.sinkTo(fileSink).setParallelism(1);
  const plan = env.buildPlan();
  const sinkFn = specNamed(plan, 'Sink: collect');
  assert.equal(sinkFn.kind, 'sink-function');
  if (sinkFn.kind === 'sink-function') void sinkFn.userFunction.invoke(5, { currentProcessingTime: () => 0, currentWatermark: () => 0, timestamp: () => undefined });
  assert.deepEqual(seen, [5]);
  const sink = specNamed(plan, 'Sink: Sink');
  assert.ok(sink.kind === 'sink' && sink.sink === fileSink);
  assert.equal(plan.jobGraph.warnings.length, 1);
  assert.match(plan.jobGraph.warnings[0]!, /^Operator "Sink: Sink" \(id [0-9a-f]{32}\) keeps state but has no uid/);
  assert.throws(() => env.fromElements(1).sinkTo({} as never), /sinkTo\(\) expects a Sink/);
});
