/**
 * What the engine adds per record at p1, in one process and without a cluster: the
 * benchmark job's two tasks (`Source` and `counter -> Sink`) as StreamTasks joined by
 * a local channel, as one TaskManager runs them, each run side by side with a round
 * of the plain loop (bench/baseline.ts). Two jobs over a bounded DataGeneratorSource:
 *
 * - keyed count: bench/jobs/keyed-count.ts's job (keyBy → ValueState count → [word,
 *   count] → discarding sink), so its ratio is what the cluster's p1 figure would be
 *   on an unshared core;
 * - engine only: the same source, records, tuples and sink, but a rebalance edge and
 *   no keyed state, so its ns/record is what the engine itself costs (source, batches,
 *   channel, mailbox, operator dispatch, emitting the tuple, the sink).
 *
 *   node --conditions=source --import tsx bench/task-path.bench.ts [--records 5000000] [--keys 100000] [--rounds 5] [--only keyed|engine]
 *     [--compare <another checkout, e.g. a copy at the previous commit, built>]
 */
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import {
  RichFlatMapFunction, RichSinkFunction, StreamExecutionEnvironment, ValueStateDescriptor, WatermarkStrategy, runInPlanMode,
  type Collector, type RuntimeContext, type ValueState,
} from '../packages/api/src/index.js';
import { createSilentLogger } from '../packages/core/src/index.js';
import { DataGeneratorSource } from '../packages/connectors/src/index.js';
import { StreamTask, type TaskDeployment } from '../packages/runtime/src/tasks/stream-task.js';
import { PartitionRegistry } from '../packages/runtime/src/network/result-partition.js';
import { LocalInputChannel, type InputChannel } from '../packages/runtime/src/network/input-channel.js';
import { measureBaselineWordsPerSecond, median } from './baseline.js';
import { numberFlag, say, stringFlag, table } from './cluster-bench.js';

const N = numberFlag('records', 5_000_000);
const K = numberFlag('keys', 100_000);
const ROUNDS = numberFlag('rounds', 5);
const ONLY = stringFlag('only', '');
const COMPARE = stringFlag('compare', '');
const words = Array.from({ length: K }, (_, k) => `w${k}`);
let sunk = 0;

class Counter extends RichFlatMapFunction<string, [string, number]> {
  private count!: ValueState<number>;
  override open(ctx: RuntimeContext): void { this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0)); }
  flatMap(word: string, out: Collector<[string, number]>): void {
    const c = this.count.value() + 1;
    this.count.update(c);
    out.collect([word, c]);
  }
}

class Pair extends RichFlatMapFunction<string, [string, number]> {
  private n = 0;
  flatMap(word: string, out: Collector<[string, number]>): void { out.collect([word, ++this.n]); }
}

class DiscardingSink extends RichSinkFunction<[string, number]> {
  invoke(): void { sunk++; }
}

function job(keyed: boolean) {
  return async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const source = new DataGeneratorSource<string>((i) => words[((i % K) * 7919) % K]!, N);
    const stream = env.fromSource(source, WatermarkStrategy.noWatermarks(), 'words');
    const counted = keyed ? stream.keyBy((w) => w).flatMap(new Counter()) : stream.rebalance().flatMap(new Pair());
    counted.name('counter').addSink(new DiscardingSink()).name('sink');
    await env.execute('TaskPathBench');
  };
}

const devNull = () => new Writable({ write(_chunk, _enc, cb) { cb(); } });

/** Runs the job's tasks in this process (as a TaskExecutor wires local tasks) to the end: seconds taken, and the share of them the event loop idled. */
async function runJob(main: () => Promise<void>): Promise<{ seconds: number; idleShare: number }> {
  const options = { defaultParallelism: 1 };
  const graph = (await runInPlanMode(main, [], options)).jobGraph;
  const registry = new PartitionRegistry();
  const tasks: StreamTask[] = [];
  for (const vertex of graph.vertices) {
    const planned = await runInPlanMode(main, [], options);
    const inputChannels: InputChannel[] = [];
    for (const [edgeIndex, edge] of graph.edges.entries()) {
      if (edge.targetVertex !== vertex.id) continue;
      const partition = await registry.lookup(`${edge.sourceVertex}#0`, edgeIndex, 1000);
      inputChannels.push(new LocalInputChannel(partition.subpartitions[0]!));
    }
    const deployment: TaskDeployment = {
      jobId: 'bench', attemptId: `${vertex.id}#0`, attemptNumber: 0, jobGraph: graph, vertex, subtaskIndex: 0,
      outputs: graph.edges.flatMap((edge, edgeIndex) => (edge.sourceVertex === vertex.id
        ? [{ edgeIndex, consumerParallelism: 1, consumerMaxParallelism: graph.vertices.find((v) => v.id === edge.targetVertex)!.maxParallelism }]
        : [])),
      inputChannels,
      exactlyOnce: true,
    };
    const task = new StreamTask(deployment, planned, {
      logger: createSilentLogger(), now: Date.now, stdout: devNull(), stderr: devNull(), partitions: registry,
      onCheckpointSnapshot: () => {}, onCheckpointDeclined: () => {},
    });
    task.registerPartitions();
    tasks.push(task);
  }
  sunk = 0;
  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  await Promise.all(tasks.map((t) => t.run()));
  const loop = performance.eventLoopUtilization(loopBefore);
  const seconds = (performance.now() - started) / 1000;
  if (sunk !== N) throw new Error(`the sink got ${sunk} records, expected ${N}`);
  return { seconds, idleShare: 1 - loop.utilization };
}

/** One run of a job over `records` records: rate, and the share of the time the event loop idled. */
export async function timeTaskPath(keyed: boolean): Promise<{ recordsPerSecond: number; idleShare: number }> {
  const run = await runJob(job(keyed));
  return { recordsPerSecond: N / run.seconds, idleShare: run.idleShare };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The other checkout's copy of this file, with its own runtime: run alternately with ours, round by round.
  const other = COMPARE === '' ? undefined : await import(resolve(COMPARE, 'bench/task-path.bench.ts')) as { timeTaskPath: typeof timeTaskPath };
  const variants: Array<[string, typeof timeTaskPath]> = other ? [['this tree', timeTaskPath], [COMPARE, other.timeTaskPath]] : [['', timeTaskPath]];
  const rows: string[][] = [];
  for (const [name, keyed] of [['keyed count', true], ['engine only (rebalance, no state)', false]] as const) {
    if (ONLY !== '' && ONLY !== (keyed ? 'keyed' : 'engine')) continue;
    const results = variants.map(() => ({ rates: [] as number[], ratios: [] as number[], idle: [] as number[] }));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [v, [, time]] of variants.entries()) {
        const run = await time(keyed);
        const plain = measureBaselineWordsPerSecond(1, 2_000_000, K);
        results[v]!.rates.push(run.recordsPerSecond);
        results[v]!.ratios.push(run.recordsPerSecond / plain);
        results[v]!.idle.push(run.idleShare);
      }
    }
    for (const [v, [tree]] of variants.entries()) {
      const m = median(results[v]!.rates);
      rows.push([tree ? `${name}, ${tree}` : name, (m / 1e6).toFixed(2), (1e9 / m).toFixed(0), median(results[v]!.ratios).toFixed(3), (100 * median(results[v]!.idle)).toFixed(1)]);
    }
  }
  say(`${N} records, ${K} keys, ${ROUNDS} rounds (medians; each run paired with the plain-loop round after it)`);
  say(table(['job', 'M rec/s', 'ns/record', 'ratio to plain', 'event loop idle %'], rows));
}
