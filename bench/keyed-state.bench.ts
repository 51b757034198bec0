/**
 * Heap keyed-state benchmark: per-record state access, snapshot (synchronous part,
 * asynchronous write, longest event-loop stall while writing) and restore, for
 * value state with 1 M keys. Reports the ratio to the plain-loop baseline.
 *
 *   node --conditions=source --import tsx bench/keyed-state.bench.ts [--keys 1000000] [--records 5000000]
 */
// The bench folder is not a workspace package: import the API from its sources.
import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
import { MemoryStateOutputStream } from '../packages/runtime/src/state/memory-state-stream.js';
import { measureBaselineWordsPerSecond } from './baseline.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs `fn` while measuring the longest gap between event-loop turns. */
async function withStallMeter<T>(fn: () => Promise<T>): Promise<{ result: T; longestStallMs: number }> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const result = await fn();
  running = false;
  return { result, longestStallMs: longest };
}

async function main(): Promise<void> {
  const keyCount = arg('keys', 1_000_000);
  const records = arg('records', 5_000_000);
  const maxParallelism = 128;
  const baseline = measureBaselineWordsPerSecond();
  const out: string[] = [`node ${process.version}; ${keyCount} keys, ${records} records, max parallelism ${maxParallelism}`];
  out.push(`baseline (plain loop, 100 K keys): ${(baseline / 1e6).toFixed(2)} M words/s`);

  const keys = Array.from({ length: keyCount }, (_, i) => `key-${i}`);
  const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: maxParallelism - 1 }, maxParallelism });
  const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
  let start = performance.now();
  for (let i = 0, k = 0; i < records; i++, k = (k + 7919) % keyCount) {
    backend.setCurrentKey(keys[k]!);
    count.update(count.value() + 1);
  }
  const perSecond = records / ((performance.now() - start) / 1000);
  out.push(`process (setCurrentKey + value + update): ${(perSecond / 1e6).toFixed(2)} M records/s (${(perSecond / baseline).toFixed(2)} × baseline)`);

  // The first round warms up the JIT; the figures are from the last of `rounds`.
  const rounds = arg('rounds', 3);
  for (let round = 1; round <= rounds; round++) {
    (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc, start each round from a collected heap
    start = performance.now();
    const snapshot = backend.snapshot(round);
    const syncMs = performance.now() - start;
    const sink = new MemoryStateOutputStream();
    start = performance.now();
    const { result, longestStallMs } = await withStallMeter(() => snapshot.write(sink));
    const writeSeconds = (performance.now() - start) / 1000;

    const restored = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: maxParallelism - 1 }, maxParallelism });
    start = performance.now();
    const restore = await withStallMeter(() => restored.restoreKeyGroups([{ ...result, bytes: sink.reader() }]));
    const restoreSeconds = (performance.now() - start) / 1000;
    if (restored.numKeys('count') !== keyCount) throw new Error('restore lost keys');
    if (round < rounds) continue;
    out.push(`snapshot synchronous part: ${syncMs.toFixed(2)} ms`);
    out.push(
      `snapshot write: ${(result.length / 1e6 / writeSeconds).toFixed(0)} MB/s, ${(keyCount / writeSeconds / 1e6).toFixed(2)} M entries/s, ` +
      `${(result.length / 1e6).toFixed(1)} MB in ${sink.chunkSizes.length} chunks, longest event-loop stall ${longestStallMs.toFixed(1)} ms`,
    );
    out.push(
      `restore: ${(restore.result.entries / restoreSeconds / 1e6).toFixed(2)} M entries/s, ` +
      `longest event-loop stall ${restore.longestStallMs.toFixed(1)} ms`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}

await main();
