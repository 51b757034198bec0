import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputStatus, runInPlanMode } from '@tsflink/api';
import type { Collector, IndexRangeSplit, Source, SourceReader } from '@tsflink/api';
import { DataGeneratorSource, FileSink, RateLimiterStrategy } from '@tsflink/connectors';
import main, {
  expectedOracleOutput, KeyAlignedIndexSource, oracleIndexAt, OracleCounter, parseOracleArgs, verifyOracleOutput,
} from './checkpoint-oracle.js';

test('expectedOracleOutput lists every index once with its key and per-key count', () => {
  assert.deepEqual(expectedOracleOutput(7, 3), ['0,0,1', '1,1,1', '2,2,1', '3,0,2', '4,1,2', '5,2,2', '6,0,3']);
  assert.deepEqual(expectedOracleOutput(2, 16), ['0,0,1', '1,1,1']);
  assert.deepEqual(expectedOracleOutput(0, 4), []);
  assert.ok(verifyOracleOutput(expectedOracleOutput(1000, 16).reverse(), 1000, 16).ok);
});

test('verifyOracleOutput reports missing, duplicated, wrong and malformed lines', () => {
  const lines = expectedOracleOutput(10, 4).filter((l) => !l.startsWith('3,'));
  lines.push('5,1,2', '6,2,9', 'garbage', '10,2,3');
  const v = verifyOracleOutput(lines, 10, 4);
  assert.equal(v.ok, false);
  assert.deepEqual(v.missing, [3]);
  assert.deepEqual(v.duplicated, [5, 6]);
  assert.deepEqual(v.wrong, ['6,2,9']);
  assert.deepEqual(v.malformed, ['garbage', '10,2,3']);
});

test('the generator positions map one-to-one onto the indexes, one split per key in increasing order', () => {
  for (const [n, k] of [[100, 16], [37, 5], [5, 8], [16, 16], [1, 1]] as const) {
    const source = new KeyAlignedIndexSource(n, k, RateLimiterStrategy.noOp());
    for (const parallelism of [1, 2, 3, 7]) assert.equal(source.createSplits(parallelism).length, Math.min(n, k), 'one split per non-empty key');
    const indexes = new Set<number>();
    for (const split of source.createSplits(1)) {
      let previous = -1;
      for (let p = split.nextIndex; p < split.endIndex; p++) {
        const index = oracleIndexAt(p, n, k);
        assert.equal(index % k, Number(split.splitId), `n=${n} k=${k}: position ${p} is in the split of its key`);
        assert.ok(index > previous, 'increasing within the key');
        previous = index;
        indexes.add(index);
      }
    }
    assert.equal(indexes.size, n);
    assert.deepEqual([...indexes].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
});

/** Hand-made keyed state: one count per key, as the runtime keeps it; copied on "checkpoint". */
class Counters {
  constructor(readonly counts = new Map<number, number>()) {}
  counterFor(keys: number): { counter: OracleCounter; setKey(k: number): void } {
    let key = 0;
    const counts = this.counts;
    const counter = new OracleCounter(keys);
    counter.open({
      getState: () => ({ value: () => counts.get(key) ?? 0, update: (v: number) => { counts.set(key, v); }, clear: () => { counts.delete(key); } }),
    } as never);
    return { counter, setKey: (k) => { key = k; } };
  }
}

test('simulated job: parallel readers interleaved at random, a failure and a rescaled restore still give the oracle output', () => {
  const n = 20_000; // 1250 indexes per key: batches of 1000 stop inside a key's split
  const k = 16;
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  let source: Source<number, IndexRangeSplit> = new KeyAlignedIndexSource(n, k, RateLimiterStrategy.noOp());
  const committed: string[] = [];

  const startReaders = (splits: IndexRangeSplit[], parallelism: number) => Array.from({ length: parallelism }, (_, i) => {
    const reader = source.createReader({ subtaskIndex: i, parallelism, attemptNumber: 0 }) as SourceReader<number, IndexRangeSplit>;
    reader.addSplits(splits.filter((_, j) => j % parallelism === i));
    return reader;
  });
  /** Polls random readers; each record goes through the counter of its key (FIFO per reader, as a channel). */
  const run = (readers: SourceReader<number, IndexRangeSplit>[], counters: Counters, out: string[], maxPolls: number) => {
    const { counter, setKey } = counters.counterFor(k);
    const collector: Collector<string> = { collect: (line) => { out.push(line); } };
    let live = readers.slice();
    for (let polls = 0; polls < maxPolls && live.length > 0; polls++) {
      const reader = live[Math.floor(random() * live.length)]!;
      const status = reader.pollNext({ collect: (index) => { setKey(index % k); counter.flatMap(index, collector); } });
      if (status === InputStatus.END_OF_INPUT) live = live.filter((r) => r !== reader);
    }
  };

  // first attempt at parallelism 3: run, checkpoint, run on, then fail
  const counters = new Counters();
  const readers = startReaders(source.createSplits(3), 3);
  const beforeCheckpoint: string[] = [];
  run(readers, counters, beforeCheckpoint, 12);
  const savedSplits = JSON.parse(JSON.stringify(readers.flatMap((r) => r.snapshotState(1)))) as IndexRangeSplit[];
  const savedCounts = new Counters(new Map(counters.counts));
  committed.push(...beforeCheckpoint); // the sink commits what checkpoint 1 covers
  run(readers, counters, [], 10); // lost in the failure

  // restore at parallelism 2 and run to the end
  const after: string[] = [];
  run(startReaders(savedSplits, 2), savedCounts, after, 100_000);
  committed.push(...after);
  const verification = verifyOracleOutput(committed, n, k);
  assert.deepEqual(verification, { ok: true, missing: [], duplicated: [], wrong: [], malformed: [] });

  // Control: a plain generator with parallel readers interleaves the keys, and the check notices.
  source = new DataGeneratorSource((i) => i, n);
  const plain: string[] = [];
  run(startReaders(source.createSplits(3), 3), new Counters(), plain, 100_000);
  const control = verifyOracleOutput(plain, n, k);
  assert.equal(control.ok, false);
  assert.deepEqual([control.missing.length, control.duplicated.length], [0, 0]);
  assert.ok(control.wrong.length > 0);
});

test('arguments: defaults, "-" placeholders, and clear errors', () => {
  assert.deepEqual(parseOracleArgs(['500', '-', '', '8', '/out']), {
    count: 500, ratePerSecond: 1000, parallelism: 2, keys: 8, outputPath: '/out', checkpointIntervalMs: 500,
  });
  assert.equal(parseOracleArgs(['1', '0', '4', '16', '/o', '200']).ratePerSecond, 0);
  assert.throws(() => parseOracleArgs(['100']), /output directory \(argument 5\) is required/);
  assert.throws(() => parseOracleArgs(['ten', '', '', '', '/o']), /N \(argument 1\) must be an integer ≥ 0, got "ten"/);
  assert.throws(() => parseOracleArgs(['1', '', '0', '', '/o']), /parallelism \(argument 3\) must be an integer ≥ 1/);
});

test('in plan mode the oracle has its source, keyed counter and exactly-once file sink with uids', async () => {
  const plan = await runInPlanMode(main, ['1000', '200', '3', '16', '/tmp/oracle-out', '250'], { defaultParallelism: 1 });
  const g = plan.jobGraph;
  assert.equal(g.jobName, 'CheckpointOracle');
  assert.deepEqual(g.checkpoint, { intervalMs: 250, mode: 'EXACTLY_ONCE', externalizedCleanup: 'RETAIN_ON_CANCELLATION' });
  const operators = g.vertices.flatMap((v) => v.operators.map((o) => ({ ...o, parallelism: v.parallelism })));
  assert.deepEqual(operators.map((o) => [o.uid, o.kind, o.stateful, o.parallelism]), [
    ['oracle-source', 'source', true, 3],
    ['oracle-counter', 'flatMap', true, 3],
    ['oracle-sink', 'sink', true, 3],
  ]);
  assert.deepEqual(g.edges.map((e) => e.partitioner), ['hash']);
  assert.deepEqual(g.warnings, []);
  const specs = [...plan.operators.values()];
  const sourceSpec = specs.find((s) => s.kind === 'source')!;
  assert.ok(sourceSpec.kind === 'source' && sourceSpec.source instanceof KeyAlignedIndexSource);
  assert.equal(sourceSpec.kind === 'source' && sourceSpec.source.createSplits(3).length, 16);
  const sinkSpec = specs.find((s) => s.kind === 'sink')!;
  assert.ok(sinkSpec.kind === 'sink' && sinkSpec.sink instanceof FileSink && sinkSpec.sink.basePath === '/tmp/oracle-out');
});
