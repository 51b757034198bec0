import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  Boundedness, InputStatus, MAX_WATERMARK, ProcessWindowFunction, RichFilterFunction, RichParallelSourceFunction, TumblingEventTimeWindows, RichFlatMapFunction, RichSinkFunction, StreamExecutionEnvironment, ValueStateDescriptor,
  WatermarkStrategy, runInPlanMode,
  type Collector, type DataStream, type PlannedJob, type ReaderOutput, type RuntimeContext, type Source, type SourceContext,
  type CheckpointedFunction, type SinkFunction, type SourceFunction, type SourceReader, type SourceSplit, type ValueState,
} from '@tsflink/api';
import { createSilentLogger } from '@tsflink/core';
import { StreamTask, type TaskDeployment, type TaskResult } from './stream-task.js';
import { PartitionRegistry } from '../network/result-partition.js';
import { LocalInputChannel, type InputChannel } from '../network/input-channel.js';
import type { CheckpointBarrier, StreamItem } from '../network/stream-item.js';
import { END_OF_PARTITION } from '../network/stream-item.js';
import { DEFAULT_SUBPARTITION_CAPACITY } from '../network/result-partition.js';
import { DEFAULT_BATCH_SIZE } from '../network/record-writer.js';
import type { OperatorSnapshot } from '../operators/stream-operator.js';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { assignKeyToParallelOperator, computeKeyGroupRangeForOperatorIndex } from '../state/key-group-assignment.js';
import { HeapKeyedStateSnapshot } from '../state/keyed-state-snapshot.js';
import { MemoryStateOutputStream } from '../state/memory-state-stream.js';

// ---------------------------------------------------------------------------------------------
// Harness: every (vertex, subtask) of a job as a StreamTask in this process, connected by
// LocalInputChannels through one PartitionRegistry, as a TaskExecutor wires local tasks.
// ---------------------------------------------------------------------------------------------

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits (event-loop turns, no timers) until `condition` holds; fails after `maxTurns`. */
async function waitFor(condition: () => boolean, what: string, maxTurns = 20_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await nextTurn();
  }
  assert.fail(`Timed out (after ${maxTurns} event-loop turns) waiting for: ${what}`);
}

/** Whether `p` settles within `turns` event-loop turns (it keeps running either way). */
async function settlesWithin<T>(p: Promise<T>, turns: number): Promise<{ settled: boolean; value?: T; error?: unknown }> {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  void p.then((value) => { state.settled = true; state.value = value; }, (error) => { state.settled = true; state.error = error; });
  for (let i = 0; i < turns && !state.settled; i++) await nextTurn();
  return state;
}

const devNull = () => new Writable({ write(_chunk, _enc, cb) { cb(); } });

interface CheckpointRecord { vertex: string; subtask: number; barrier: CheckpointBarrier; snapshots: OperatorSnapshot[] }

interface DeployedTask {
  vertexName: string;
  vertexIndex: number;
  subtask: number;
  task: StreamTask;
  result?: Promise<TaskResult>;
}

interface Deployed {
  plan: PlannedJob;
  tasks: DeployedTask[];
  registry: PartitionRegistry;
  checkpoints: CheckpointRecord[];
  declined: Array<{ vertex: string; subtask: number; checkpointId: number; error: Error }>;
  /** The tasks of a vertex (by index in the JobGraph), by subtask. */
  of(vertexIndex: number): StreamTask[];
  start(): void;
  results(): Promise<TaskResult[]>;
  cancelAll(): void;
}

/**
 * Plans `main` once per task (the objects of a PlannedJob belong to one subtask) and
 * builds the tasks as packages/taskmanager/src/task-executor.ts does, all local.
 */
async function deploy(main: () => Promise<void>, options: { parallelism?: number; exactlyOnce?: boolean; now?: () => number } = {}): Promise<Deployed> {
  const planOptions = { defaultParallelism: options.parallelism ?? 1 };
  const plan = await runInPlanMode(main, [], planOptions);
  const graph = plan.jobGraph;
  const registry = new PartitionRegistry();
  const checkpoints: CheckpointRecord[] = [];
  const declined: Deployed['declined'] = [];
  const tasks: DeployedTask[] = [];
  const attemptId = (vertexId: string, subtask: number) => `${vertexId}#${subtask}`;

  for (const [vertexIndex, vertex] of graph.vertices.entries()) {
    for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
      const planned = await runInPlanMode(main, [], planOptions);
      const inputChannels: InputChannel[] = [];
      for (const [edgeIndex, edge] of graph.edges.entries()) {
        if (edge.targetVertex !== vertex.id) continue;
        const producer = graph.vertices.find((v) => v.id === edge.sourceVertex)!;
        for (let p = 0; p < producer.parallelism; p++) {
          const partition = await registry.lookup(attemptId(producer.id, p), edgeIndex, 1000);
          inputChannels.push(new LocalInputChannel(partition.subpartitions[subtask]!));
        }
      }
      const deployment: TaskDeployment = {
        jobId: 'job-1',
        attemptId: attemptId(vertex.id, subtask),
        attemptNumber: 0,
        jobGraph: graph,
        vertex,
        subtaskIndex: subtask,
        outputs: graph.edges.flatMap((edge, edgeIndex) => {
          if (edge.sourceVertex !== vertex.id) return [];
          const consumer = graph.vertices.find((v) => v.id === edge.targetVertex)!;
          return [{ edgeIndex, consumerParallelism: consumer.parallelism, consumerMaxParallelism: consumer.maxParallelism }];
        }),
        inputChannels,
        exactlyOnce: options.exactlyOnce ?? true,
      };
      const task = new StreamTask(deployment, planned, {
        logger: createSilentLogger(),
        now: options.now ?? Date.now,
        stdout: devNull(),
        stderr: devNull(),
        partitions: registry,
        onCheckpointSnapshot: (barrier, snapshots) => { checkpoints.push({ vertex: vertex.name, subtask, barrier, snapshots }); },
        onCheckpointDeclined: (checkpointId, error) => { declined.push({ vertex: vertex.name, subtask, checkpointId, error }); },
      });
      task.registerPartitions();
      tasks.push({ vertexName: vertex.name, vertexIndex, subtask, task });
    }
  }
  return {
    plan, tasks, registry, checkpoints, declined,
    of: (vertexIndex) => tasks.filter((t) => t.vertexIndex === vertexIndex).map((t) => t.task),
    start() { for (const t of tasks) t.result = t.task.run(); },
    results() { return Promise.all(tasks.map((t) => t.result!)); },
    cancelAll() { for (const t of tasks) t.task.cancel(); },
  };
}

function barrier(checkpointId: number, extra: Partial<CheckpointBarrier> = {}): CheckpointBarrier {
  return { kind: 'barrier', checkpointId, timestamp: 1000 + checkpointId, isSavepoint: false, stopSources: false, targetLocation: '', ...extra };
}

/** Counts per key, as the keyed snapshot of an operator holds them (ValueState `name`). */
async function countsInSnapshot(snapshot: OperatorSnapshot, keys: string[], maxParallelism: number, stateName = 'count'): Promise<Record<string, number>> {
  assert.ok(snapshot.keyed, 'the operator has keyed state in its snapshot');
  const sink = new MemoryStateOutputStream();
  const written = await snapshot.keyed.write(sink);
  const backend = new HeapKeyedStateBackend({ keyGroupRange: computeKeyGroupRangeForOperatorIndex(maxParallelism, 1, 0), maxParallelism });
  await backend.restoreKeyGroups([{ ...written, bytes: sink.reader() }]);
  const state = backend.getState(new ValueStateDescriptor<number>(stateName, 0));
  const out: Record<string, number> = {};
  for (const k of keys) {
    backend.setCurrentKey(k);
    if (state.value() !== 0) out[k] = state.value();
  }
  return out;
}

/** A flatMap keeping a count per key in ValueState and emitting `key:count`. */
class CountPerKey extends RichFlatMapFunction<string, string> {
  private count!: ValueState<number>;
  override open(ctx: RuntimeContext): void { this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0)); }
  flatMap(word: string, out: Collector<string>): void {
    const c = this.count.value() + 1;
    this.count.update(c);
    out.collect(`${word}:${c}`);
  }
}

// A split-based source fed by the test: one feed per subtask; records are pulled when pushed.
class Feed {
  readonly queue: string[] = [];
  ended = false;
  emitted = 0;
  private wake?: () => void;
  push(...values: string[]): void { this.queue.push(...values); this.notify(); }
  end(): void { this.ended = true; this.notify(); }
  private notify(): void { const w = this.wake; this.wake = undefined; w?.(); }
  whenAvailable(): Promise<void> {
    if (this.queue.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => { this.wake = resolve; });
  }
}

interface FeedSplit extends SourceSplit { position: number }

class FeedSource implements Source<string, FeedSplit> {
  constructor(private readonly feeds: Feed[]) {}
  getBoundedness(): Boundedness { return Boundedness.CONTINUOUS_UNBOUNDED; }
  createSplits(parallelism: number): FeedSplit[] { return Array.from({ length: parallelism }, (_, i) => ({ splitId: String(i), position: 0 })); }
  createReader(ctx: { subtaskIndex: number }): SourceReader<string, FeedSplit> {
    const feed = this.feeds[ctx.subtaskIndex]!;
    return {
      addSplits() {},
      pollNext(output: ReaderOutput<string>) {
        while (feed.queue.length > 0) { output.collect(feed.queue.shift()!); feed.emitted++; }
        return feed.ended ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
      },
      isAvailable: () => feed.whenAvailable(),
      snapshotState: () => [{ splitId: String(ctx.subtaskIndex), position: feed.emitted }],
    };
  }
}

/** Reads everything currently buffered in a subpartition of a producer's partition. */
function drainPartition(registry: PartitionRegistry, attemptId: string, edgeIndex: number, subpartition = 0): Promise<StreamItem[]> {
  return registry.lookup(attemptId, edgeIndex, 1000).then((p) => {
    const out: StreamItem[] = [];
    const sp = p.subpartitions[subpartition]!;
    for (let i = sp.poll(); i !== undefined; i = sp.poll()) out.push(i);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------

describe('StreamTask, in process', () => {
  it('runs fromElements → map → keyBy → flatMap(ValueState) → addSink across two tasks', async () => {
    const out: string[] = [];
    const words = ['b', 'a', 'c', 'a', 'b', 'a', 'd', 'a'];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements(...words).uid('words')
        .map((w) => w.toUpperCase())
        .keyBy((w) => w)
        .flatMap(new CountPerKey()).uid('count')
        .addSink((v) => { out.push(v); });
      await env.execute('WordCount');
    });
    assert.deepEqual(job.plan.jobGraph.vertices.map((v) => v.name), ['Source: Collection Source -> Map', 'Flat Map -> Sink: Unnamed']);
    job.start();
    assert.deepEqual(await job.results(), ['FINISHED', 'FINISHED']);
    // One consumer subtask: the order of the input is kept.
    assert.deepEqual(out, ['B:1', 'A:1', 'C:1', 'A:2', 'B:2', 'A:3', 'D:1', 'A:4']);
    assert.equal(job.registry.size, 0, 'consumed partitions unregister themselves');
  });

  it('runs keyBy → reduce at parallelism 3: every key is reduced in one subtask, in order', async () => {
    const out: Array<[string, number]> = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 3000)
        .map((n): [string, number] => [`k${n % 17}`, n])
        .keyBy((t) => t[0])
        .reduce((a, b) => [a[0], a[1] + b[1]])
        .addSink((v) => { out.push(v); });
      await env.execute('Sums');
    }, { parallelism: 3 });
    assert.equal(job.tasks.length, 6);
    job.start();
    assert.deepEqual(await job.results(), Array(6).fill('FINISHED'));
    assert.equal(out.length, 3000);
    const finalSum = new Map<string, number>();
    for (const [k, s] of out) {
      assert.ok((finalSum.get(k) ?? 0) < s, `sums of ${k} only grow`);
      finalSum.set(k, s);
    }
    for (let r = 0; r < 17; r++) {
      let expected = 0;
      for (let n = 1; n <= 3000; n++) if (n % 17 === r) expected += n;
      assert.equal(finalSum.get(`k${r}`), expected);
    }
  });

  it('exactly-once: the consumer snapshot holds exactly the records before the barrier of each channel', async () => {
    const feeds = [new Feed(), new Feed()];
    const out: string[] = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new FeedSource(feeds), WatermarkStrategy.noWatermarks(), 'feed').setParallelism(2).uid('feed')
        .keyBy((w) => w)
        .flatMap(new CountPerKey()).uid('count').setParallelism(1)
        .addSink((v) => { out.push(v); }).setParallelism(1);
      await env.execute('Aligned');
    }, { exactlyOnce: true });
    const [src0, src1] = job.of(0);
    const maxP = job.plan.jobGraph.vertices[1]!.maxParallelism;
    const countOp = job.plan.jobGraph.vertices[1]!.operators[0]!.id;
    job.start();

    feeds[0]!.push('x', 'y', 'x');
    feeds[1]!.push('x', 'z');
    await waitFor(() => out.length === 5, 'the first five records');

    // Barrier 1 at source 0; what source 0 sends next is after the checkpoint.
    src0!.triggerCheckpoint(barrier(1));
    await waitFor(() => job.checkpoints.some((c) => c.subtask === 0 && c.vertex.startsWith('Source')), 'source 0 snapshot');
    feeds[0]!.push('x', 'x', 'w');
    // Source 1 is still before its barrier: these count.
    feeds[1]!.push('z', 'y');
    await waitFor(() => out.includes('z:2') && out.includes('y:2'), 'source 1 records reach the sink while channel 0 is held');
    // Source 0's post-barrier records are held by the alignment.
    await waitFor(() => feeds[0]!.emitted === 6, 'source 0 emitted its post-barrier records');
    for (let i = 0; i < 50; i++) await nextTurn();
    assert.deepEqual(out.slice().sort(), ['x:1', 'x:2', 'x:3', 'y:1', 'y:2', 'z:1', 'z:2'], 'nothing after barrier 1 of channel 0 was processed before the alignment');
    assert.ok(!out.includes('W:1') && !out.includes('w:1'));

    src1!.triggerCheckpoint(barrier(1));
    feeds[1]!.push('y'); // after the barrier of channel 1
    await waitFor(() => job.checkpoints.some((c) => c.vertex.startsWith('Flat Map')), 'the consumer snapshot');
    await waitFor(() => out.length === 11, 'all records');

    const consumer = job.checkpoints.find((c) => c.vertex.startsWith('Flat Map'))!;
    assert.equal(consumer.barrier.checkpointId, 1);
    const snap = consumer.snapshots.find((s) => s.operatorId === countOp)!;
    assert.deepEqual(await countsInSnapshot(snap, ['x', 'y', 'z', 'w'], maxP), { x: 3, y: 2, z: 2 });
    // Source positions in their snapshots.
    const sourceSnaps = job.checkpoints.filter((c) => c.vertex.startsWith('Source')).sort((a, b) => a.subtask - b.subtask);
    assert.equal(sourceSnaps.length, 2);
    assert.deepEqual(out.slice().sort(), ['w:1', 'x:1', 'x:2', 'x:3', 'x:4', 'x:5', 'y:1', 'y:2', 'y:3', 'z:1', 'z:2']);

    feeds[0]!.end();
    feeds[1]!.end();
    assert.deepEqual(await job.results(), ['FINISHED', 'FINISHED', 'FINISHED']);
    assert.deepEqual(job.declined, []);
  });

  it('at-least-once: the consumer snapshots on the last barrier without holding channels', async () => {
    const feeds = [new Feed(), new Feed()];
    const out: string[] = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new FeedSource(feeds), WatermarkStrategy.noWatermarks(), 'feed').setParallelism(2)
        .keyBy((w) => w).flatMap(new CountPerKey()).uid('count').setParallelism(1)
        .addSink((v) => { out.push(v); }).setParallelism(1);
      await env.execute('AtLeastOnce');
    }, { exactlyOnce: false });
    const [src0, src1] = job.of(0);
    job.start();
    src0!.triggerCheckpoint(barrier(1));
    await waitFor(() => job.checkpoints.length === 1, 'source 0 snapshot');
    feeds[0]!.push('a', 'a');
    await waitFor(() => out.length === 2, 'records after barrier 1 of channel 0 flow on');
    src1!.triggerCheckpoint(barrier(1));
    await waitFor(() => job.checkpoints.length === 3, 'consumer snapshot');
    feeds[0]!.end();
    feeds[1]!.end();
    assert.deepEqual(await job.results(), ['FINISHED', 'FINISHED', 'FINISHED']);
  });

  for (const kind of ['a split source', 'a legacy source awaiting ctx.whenAvailable()'] as const) {
    it(`back-pressure: a blocked sink stops ${kind} after a bounded number of records, then everything arrives`, async () => {
      const total = 60_000;
      let produced = 0;
      const received: number[] = [];
      let release: (() => void) | undefined;
      let blocked = true;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      const job = await deploy(async () => {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        const numbers = kind === 'a split source'
          ? env.fromSequence(1, total)
          : env.addSource({
            async run(ctx: SourceContext<number>) {
              for (let n = 1; n <= total; n++) {
                ctx.collect(n);
                if (n % 100 === 0) await ctx.whenAvailable();
              }
            },
            cancel() {},
          });
        numbers
          .map((n) => { produced++; return n; })
          .rebalance()
          .addSink(async (n) => { received.push(n); if (blocked) await gate; });
        await env.execute('BackPressure');
      });
      assert.equal(job.tasks.length, 2);
      job.start();
      await waitFor(() => received.length === 1, 'the sink got its first record');
      // Let the source run as far as it can.
      let last = -1;
      let stableTurns = 0;
      await waitFor(() => {
        if (produced === last) stableTurns++; else { stableTurns = 0; last = produced; }
        return stableTurns >= 50;
      }, 'the source to stop producing');
      const bound = DEFAULT_SUBPARTITION_CAPACITY + 3 * DEFAULT_BATCH_SIZE;
      assert.ok(produced <= bound, `the source produced ${produced} records while the sink was blocked (bound ${bound})`);
      assert.ok(produced < total);
      assert.equal(received.length, 1);
      blocked = false;
      release!();
      assert.deepEqual(await job.results(), ['FINISHED', 'FINISHED']);
      assert.equal(received.length, total);
      for (let i = 0; i < total; i++) if (received[i] !== i + 1) assert.fail(`record ${i} is ${received[i]}`);
    });
  }

  it('successors of one operator never see each other\'s mutations (chained fan-out, broadcast edges)', async () => {
    const mutated: number[] = [];
    const untouched: number[] = [];
    const broadcast: number[] = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      const records = env.fromElements({ n: 1 }, { n: 2 });
      // Both maps chain to the source; the first one mutates its record in place and runs first.
      records.map((r) => { r.n *= 100; return r; }).addSink((r) => { mutated.push(r.n); });
      records.map((r) => r).addSink((r) => { untouched.push(r.n); });
      // Two local consumers of a broadcast edge, each mutating what it got.
      records.broadcast().map((r) => { r.n += 1000; return r.n; }).setParallelism(2).addSink((n) => { broadcast.push(n); }).setParallelism(2);
      await env.execute('Fan-out');
    });
    job.start();
    assert.deepEqual(await job.results(), job.tasks.map(() => 'FINISHED'));
    assert.deepEqual(mutated, [100, 200]);
    assert.deepEqual(untouched, [1, 2]);
    assert.deepEqual(broadcast.sort(), [1001, 1001, 1002, 1002]);
  });

  it('cancel() ends running unbounded tasks with CANCELED', async () => {
    const feeds = [new Feed()];
    const out: string[] = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new FeedSource(feeds), WatermarkStrategy.noWatermarks(), 'feed')
        .rebalance().map((w) => w.toUpperCase()).addSink((v) => { out.push(v); });
      await env.execute('Unbounded');
    });
    job.start();
    feeds[0]!.push('a', 'b');
    await waitFor(() => out.length === 2, 'records flow');
    job.cancelAll();
    assert.deepEqual(await job.results(), ['CANCELED', 'CANCELED']);
  });

  it('cancel() ends a task whose sink never completes an invoke', async () => {
    let invoked = 0;
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 1_000_000_000).rebalance().addSink(() => { invoked++; return new Promise<void>(() => {}); });
      await env.execute('StuckSink');
    });
    job.start();
    await waitFor(() => invoked === 1, 'the sink was invoked');
    job.cancelAll();
    const r = await settlesWithin(job.results(), 200);
    assert.equal(r.settled, true, 'cancel must not wait for a sink call that never ends');
    assert.deepEqual(r.value, ['CANCELED', 'CANCELED']);
    assert.equal(invoked, 1, 'no record is handed to the sink after cancel');
  });

  it('cancel() ends a legacy source task; the source gets cancel()', async () => {
    let cancelled = false;
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      const src: SourceFunction<number> = {
        async run(ctx: SourceContext<number>) {
          let i = 0;
          while (!cancelled) { ctx.collect(i++); await nextTurn(); }
        },
        cancel() { cancelled = true; },
      };
      env.addSource(src).addSink(() => {});
      await env.execute('Legacy');
    });
    job.start();
    await nextTurn();
    job.cancelAll();
    assert.deepEqual(await job.results(), ['CANCELED']);
    assert.equal(cancelled, true);
  });

  it('cancel() ends a task whose sink writer never completes a write (close does not wait for it)', async () => {
    let writes = 0;
    let closed = false;
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 1_000_000_000).rebalance().sinkTo({
        createWriter: () => ({
          write: () => { writes++; return new Promise<void>(() => {}); },
          close: () => { closed = true; },
        }),
      });
      await env.execute('StuckWriter');
    });
    job.start();
    await waitFor(() => writes === 1, 'the writer got its first record');
    job.cancelAll();
    const r = await settlesWithin(job.results(), 200);
    assert.equal(r.settled, true, 'cancel must not wait for a write that never ends');
    assert.deepEqual(r.value, ['CANCELED', 'CANCELED']);
    assert.equal(closed, true, 'the writer is closed');
    assert.equal(writes, 1);
  });

  it('a task cancelled before it runs opens nothing and registers no partition', async () => {
    let opened = 0;
    class Opening extends RichFlatMapFunction<number, number> {
      override open(): void { opened++; }
      flatMap(n: number, out: Collector<number>): void { out.collect(n); }
    }
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 10).rebalance().flatMap(new Opening()).addSink(() => {});
      await env.execute('CancelledEarly');
    });
    const consumer = job.tasks[1]!.task;
    consumer.cancel();
    assert.equal(await consumer.run(), 'CANCELED');
    assert.equal(opened, 0);
    const producer = job.tasks[0]!.task;
    producer.cancel();
    assert.equal(await producer.run(), 'CANCELED');
    assert.equal(job.registry.size, 0, 'a released partition is not registered again');
  });

  it('a consumer that ends early releases its input: a finished producer\'s partition is unregistered', async () => {
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements('a', 'b', 'c').rebalance().addSink(() => {});
      await env.execute('ConsumerGone');
    });
    const [producer, consumer] = job.tasks;
    assert.equal(await producer!.task.run(), 'FINISHED');
    assert.equal(job.registry.size, 1, 'the finished producer\'s data waits for its consumer');
    consumer!.task.cancel();
    assert.equal(await consumer!.task.run(), 'CANCELED');
    assert.equal(job.registry.size, 0);
  });

  it('a producer back-pressured by a consumer that is cancelled is not left waiting', async () => {
    let produced = 0;
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 1_000_000_000).map((n) => { produced++; return n; }).rebalance()
        .addSink(() => new Promise<void>(() => {}));
      await env.execute('ProducerWakes');
    });
    job.start();
    const [producer, consumer] = job.tasks;
    let last = -1;
    let stable = 0;
    await waitFor(() => { if (produced === last) stable++; else { stable = 0; last = produced; } return stable >= 30; }, 'back-pressure');
    consumer!.task.cancel();
    assert.equal(await consumer!.result!, 'CANCELED');
    const before = produced;
    await waitFor(() => produced > before, 'the producer to resume');
    producer!.task.cancel();
    assert.equal(await producer!.result!, 'CANCELED');
  });

  it('records get the timestamps of assignTimestampsAndWatermarks; records without one stay without', async () => {
    const seen: Array<[string, number | undefined]> = [];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      const events = env.fromElements({ id: 'a', t: 5 }, { id: 'b', t: 9 });
      events.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ id: string; t: number }>().withTimestampAssigner((e) => e.t))
        .addSink((e, ctx) => { seen.push([`assigned-${e.id}`, ctx.timestamp()]); });
      // Without an assigner records keep the timestamp they carry: none here.
      events.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ id: string; t: number }>())
        .addSink((e, ctx) => { seen.push([`kept-${e.id}`, ctx.timestamp()]); });
      await env.execute('Timestamps');
    });
    job.start();
    assert.deepEqual(await job.results(), job.tasks.map(() => 'FINISHED'));
    assert.deepEqual(seen.slice().sort(), [['assigned-a', 5], ['assigned-b', 9], ['kept-a', undefined], ['kept-b', undefined]]);
  });

  it('a busy task sends a partial batch within the buffer timeout (a rare key is not held back)', async () => {
    let now = 0;
    const out: string[][] = [[], []];
    let common = 'c0';
    let rare = 'r0';
    for (let i = 0; assignKeyToParallelOperator(common, 128, 2) !== 0; i++) common = `c${i}`;
    for (let i = 0; assignKeyToParallelOperator(rare, 128, 2) !== 1; i++) rare = `r${i}`;
    let polls = 0;
    const busy: Source<string, FeedSplit> = {
      getBoundedness: () => Boundedness.CONTINUOUS_UNBOUNDED,
      createSplits: () => [{ splitId: '0', position: 0 }],
      createReader: () => ({
        addSplits() {},
        pollNext(output: ReaderOutput<string>) {
          polls++;
          if (polls === 2) output.collect(rare);
          for (let i = 0; i < 10; i++) output.collect(common);
          return InputStatus.MORE_AVAILABLE; // never idle
        },
        isAvailable: () => Promise.resolve(),
        snapshotState: () => [],
      }),
    };
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(busy, WatermarkStrategy.noWatermarks(), 'busy').setParallelism(1).setMaxParallelism(128)
        .keyBy((w) => w)
        .addSink(new (class extends RichSinkFunction<string> {
          invoke(v: string) { out[this.getRuntimeContext().getIndexOfThisSubtask()]!.push(v); }
        })()).setParallelism(2).setMaxParallelism(128);
      await env.execute('BufferTimeout');
    }, { parallelism: 2, now: () => now });
    job.start();
    await waitFor(() => out[0]!.length >= 5000, 'the common key flows');
    assert.deepEqual(out[1], [], 'the clock has not moved: the rare key\'s partial batch waits');
    now += 100;
    await waitFor(() => out[1]!.length === 1, 'the rare key after the buffer timeout', 1000);
    assert.deepEqual(out[1], [rare]);
    job.cancelAll();
    assert.deepEqual(await job.results(), ['CANCELED', 'CANCELED', 'CANCELED']);
  });

  it('a checkpoint that fails in snapshotState is declined, and keyed views already taken are released', async (t) => {
    const release = t.mock.method(HeapKeyedStateSnapshot.prototype, 'release');
    const feed = new Feed();
    const out: string[] = [];
    const refusingSink: SinkFunction<string> & CheckpointedFunction = {
      invoke(v) { out.push(v); },
      initializeState() {},
      snapshotState() { throw new Error('snapshot refused'); },
    };
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new FeedSource([feed]), WatermarkStrategy.noWatermarks(), 'feed')
        .keyBy((w) => w).flatMap(new CountPerKey()).uid('count')
        .addSink(refusingSink);
      await env.execute('Declines');
    });
    job.start();
    const [source, consumer] = job.tasks;
    feed.push('k');
    await waitFor(() => out.length === 1, 'a key in the keyed state');
    source!.task.triggerCheckpoint(barrier(1));
    await waitFor(() => job.declined.length === 1, 'the decline');
    assert.equal(job.declined[0]!.checkpointId, 1);
    assert.equal(job.declined[0]!.error.message, 'snapshot refused');
    assert.equal(job.declined[0]!.vertex, consumer!.vertexName);
    assert.equal(release.mock.callCount(), 1, 'the keyed view of the count operator was released');
    feed.end();
    assert.deepEqual(await job.results(), ['FINISHED', 'FINISHED']);
  });

  it('a user function that throws fails run() with that error', async () => {
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements(1, 2, 3, 4).map((n) => { if (n === 3) throw new Error(`bad record ${n}`); return n; }).addSink(() => {});
      await env.execute('Throws');
    });
    assert.equal(job.tasks.length, 1);
    job.start();
    await assert.rejects(job.results(), { message: 'bad record 3' });
  });

  it('a consumer whose function throws fails; its producer is then cancelled', async () => {
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, 1_000_000).rebalance()
        .flatMap((n: number) => { if (n === 5000) throw new TypeError('flatMap failed at 5000'); })
        .addSink(() => {});
      await env.execute('ConsumerThrows');
    });
    job.start();
    const [producer, consumer] = job.tasks;
    await assert.rejects(consumer!.result!, { name: 'TypeError', message: 'flatMap failed at 5000' });
    producer!.task.cancel();
    assert.equal(await producer!.result!, 'CANCELED');
  });

  it('an async sink that rejects fails the task with that error', async () => {
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements('a', 'b', 'c').addSink(async (v) => { await nextTurn(); if (v === 'b') throw new Error('sink write failed'); });
      await env.execute('SinkRejects');
    });
    job.start();
    await assert.rejects(job.results(), { message: 'sink write failed' });
  });

  it('a bounded split source ends its partition with the end-of-time watermark, then end of partition', async () => {
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements('a', 'b').rebalance().addSink(() => {});
      await env.execute('Ends');
    });
    const producer = job.tasks[0]!;
    assert.equal(await producer.task.run(), 'FINISHED');
    const items = await drainPartition(job.registry, `${job.plan.jobGraph.vertices[0]!.id}#0`, 0);
    assert.deepEqual(items, [
      { kind: 'records', values: ['a', 'b'], timestamps: undefined },
      { kind: 'watermark', timestamp: MAX_WATERMARK },
      END_OF_PARTITION,
    ]);
  });

  describe('legacy SourceFunction tasks', () => {
    /** A source that emits what the test pushes and otherwise waits (no timers). */
    function pushSource() {
      const state = { cancelled: false, queue: [] as number[], wake: undefined as (() => void) | undefined };
      const push = (...xs: number[]) => { state.queue.push(...xs); const w = state.wake; state.wake = undefined; w?.(); };
      const fn: SourceFunction<number> = {
        async run(ctx) {
          while (!state.cancelled) {
            while (state.queue.length > 0) ctx.collect(state.queue.shift()!);
            await new Promise<void>((resolve) => { state.wake = resolve; });
          }
        },
        cancel() { state.cancelled = true; const w = state.wake; state.wake = undefined; w?.(); },
      };
      return { state, push, fn };
    }

    it('records of a slow source reach the consumer without waiting for a full batch or a checkpoint', async () => {
      const src = pushSource();
      const out: number[] = [];
      const job = await deploy(async () => {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.addSource(src.fn).rebalance().addSink((n) => { out.push(n); });
        await env.execute('Slow');
      });
      job.start();
      src.push(1, 2, 3);
      await waitFor(() => out.length === 3, 'three records at the sink', 500);
      src.push(4);
      await waitFor(() => out.length === 4, 'the fourth record', 500);
      job.cancelAll();
      assert.deepEqual(await job.results(), ['CANCELED', 'CANCELED']);
    });

    it('ends with the end-of-time watermark when run() returns', async () => {
      const job = await deploy(async () => {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.addSource({ async run(ctx: SourceContext<string>) { ctx.collect('only'); }, cancel() {} }).rebalance().addSink(() => {});
        await env.execute('Bounded legacy');
      });
      assert.equal(await job.tasks[0]!.task.run(), 'FINISHED');
      const items = await drainPartition(job.registry, `${job.plan.jobGraph.vertices[0]!.id}#0`, 0);
      assert.deepEqual(items, [
        { kind: 'records', values: ['only'], timestamps: undefined },
        { kind: 'watermark', timestamp: MAX_WATERMARK },
        END_OF_PARTITION,
      ]);
    });

    it('stop-with-savepoint: the source stops after the barrier and the task finishes', async () => {
      const src = pushSource();
      const job = await deploy(async () => {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.addSource(src.fn).rebalance().addSink(() => {});
        await env.execute('Stop');
      });
      const producer = job.tasks[0]!.task;
      const result = producer.run();
      src.push(1, 2);
      await nextTurn();
      producer.triggerCheckpoint(barrier(7, { isSavepoint: true, stopSources: true }), true);
      const r = await settlesWithin(result, 500);
      assert.equal(r.settled, true, 'the task ends after a stop-with-savepoint barrier');
      assert.equal(r.value, 'FINISHED');
      assert.equal(src.state.cancelled, true);
      src.push(3); // too late: nothing after the barrier
      const items = await drainPartition(job.registry, `${job.plan.jobGraph.vertices[0]!.id}#0`, 0);
      assert.deepEqual(items, [
        { kind: 'records', values: [1, 2], timestamps: undefined },
        { kind: 'watermark', timestamp: MAX_WATERMARK }, // --drain
        barrier(7, { isSavepoint: true, stopSources: true }),
        END_OF_PARTITION,
      ]);
    });
  });

  it('stop-with-savepoint on a split source: the barrier is the last item before end of partition', async () => {
    const feeds = [new Feed()];
    const job = await deploy(async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new FeedSource(feeds), WatermarkStrategy.noWatermarks(), 'feed').rebalance().addSink(() => {});
      await env.execute('StopSplit');
    });
    const producer = job.tasks[0]!.task;
    const result = producer.run();
    feeds[0]!.push('a');
    await waitFor(() => feeds[0]!.emitted === 1, 'the record was read');
    producer.triggerCheckpoint(barrier(3, { isSavepoint: true, stopSources: true }));
    feeds[0]!.push('after');
    assert.equal(await result, 'FINISHED');
    const items = await drainPartition(job.registry, `${job.plan.jobGraph.vertices[0]!.id}#0`, 0);
    assert.deepEqual(items, [
      { kind: 'records', values: ['a'], timestamps: undefined },
      barrier(3, { isSavepoint: true, stopSources: true }),
      END_OF_PARTITION,
    ]);
    assert.equal(job.checkpoints.length, 1);
  });

  describe('idle inputs (watermark status)', () => {
    /** Keyed 100 ms tumbling event-time windows counting records; fired windows as [start, count]. */
    function countWindows(stream: DataStream<number>, fired: Array<[number, number]>): void {
      stream.keyBy(() => 'all')
        .window(TumblingEventTimeWindows.of(100))
        .aggregate(
          { createAccumulator: () => 0, add: (_v: number, n: number) => n + 1, getResult: (n: number) => n, merge: (a: number, b: number) => a + b },
          new (class extends ProcessWindowFunction<number, [number, number], string> {
            process(_k: string, ctx: { window(): { getStart(): number } }, counts: Iterable<number>, out: Collector<[number, number]>): void {
              out.collect([ctx.window().getStart(), [...counts][0]!]);
            }
          })(),
        )
        .addSink((w: [number, number]) => { fired.push(w); });
    }

    /** Feed 0 gets the events 0…299 (their own event times); feed 1 stays empty. */
    function feedsWithOneIdle(): Feed[] {
      const feeds = [new Feed(), new Feed()];
      feeds[0]!.push(...Array.from({ length: 300 }, (_, i) => String(i)));
      return feeds;
    }
    const byValue = () => WatermarkStrategy.forMonotonousTimestamps<string>().withTimestampAssigner((s) => Number(s));

    for (const where of ['the source', 'assignTimestampsAndWatermarks'] as const) {
      it(`withIdleness in ${where}: a parallel instance that sees no events stops holding back the windows`, async () => {
        const fired: Array<[number, number]> = [];
        const feeds = feedsWithOneIdle();
        const job = await deploy(async () => {
          const env = StreamExecutionEnvironment.getExecutionEnvironment();
          const events = where === 'the source'
            ? env.fromSource(new FeedSource(feeds), byValue().withIdleness(50), 'feed')
            : env.fromSource(new FeedSource(feeds), WatermarkStrategy.noWatermarks(), 'feed').assignTimestampsAndWatermarks(byValue().withIdleness(50));
          countWindows(events.map((s: string) => Number(s)), fired);
          await env.execute('Idle partition');
        }, { parallelism: 2 });
        job.start();
        // Without idleness, feed 1's instance would hold the watermark at its minimum and nothing would fire.
        await waitFor(() => fired.length >= 2, 'the windows below watermark 299 fired while feed 1 is idle', 500_000);
        job.cancelAll();
        await job.results();
        assert.deepEqual(fired.sort((a, b) => a[0] - b[0]), [[0, 100], [100, 100]]);
      });
    }

    it('markAsTemporarilyIdle in a legacy source: the other instance alone drives event time', async () => {
      const fired: Array<[number, number]> = [];
      let cancelled = false;
      const job = await deploy(async () => {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        const events = env.addSource(new (class extends RichParallelSourceFunction<number> {
          async run(ctx: SourceContext<number>): Promise<void> {
            if (this.getRuntimeContext().getIndexOfThisSubtask() === 1) ctx.markAsTemporarilyIdle();
            else for (let i = 0; i < 300; i++) { ctx.collectWithTimestamp(i, i); ctx.emitWatermark(i); }
            while (!cancelled) await new Promise((resolve) => setTimeout(resolve, 5));
          }
          cancel(): void { cancelled = true; }
        })());
        countWindows(events, fired);
        await env.execute('Idle legacy source');
      }, { parallelism: 2 });
      job.start();
      await waitFor(() => fired.length >= 2, 'the windows below watermark 299 fired', 200_000);
      job.cancelAll();
      await job.results();
      assert.deepEqual(fired.sort((a, b) => a[0] - b[0]), [[0, 100], [100, 100]]);
    });
  });
});
