/**
 * Checkpointing cost in one process, without a cluster: the keyed running count
 * of bench/jobs/keyed-count.ts (100 K keys, ValueState<number>, optionally a
 * payload string per key) processed in batches of 1,000 records with a yield to
 * the event loop every 4 batches (as StreamTask does), while a timer takes a
 * snapshot every `--interval` ms and writes it asynchronously to a temp file
 * (4 MiB chunks, fsync at the end, like LocalFileSystem), at most one at a time
 * (as the coordinator's default of one concurrent checkpoint).
 *
 * Each run is a child process of its own (so that every mode gets the same JIT
 * history), and modes alternate within each round (none / 1000 ms / 100 ms, rotated): the
 * figure is the rate with snapshots ÷ the rate without of the same round,
 * median over rounds — free of the machine's drift between minutes — and the
 * same for records per CPU-second of this process (free of time spent waiting
 * for a core on a shared machine; includes the file writes' system time). Also the
 * snapshot durations (take → file closed) and the longest event-loop stall.
 *
 *   node --conditions=source --import tsx bench/snapshot-under-load.bench.ts
 *     [--keys 100000] [--payload 0] [--seconds 2] [--rounds 5] [--intervals 1000,100]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { LocalFileSystem } from '../packages/fs/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
import { ThresholdStateOutput } from '../packages/taskmanager/src/checkpoint/threshold-state-output.js';
import { median } from './baseline.js';
import { numberFlag, quantile, say, stringFlag, table } from './cluster-bench.js';

const K = numberFlag('keys', 100_000);
const PAYLOAD = numberFlag('payload', 0);
const SECONDS = numberFlag('seconds', 2);
const ROUNDS = numberFlag('rounds', 5);
const INTERVALS = stringFlag('intervals', '1000,100').split(',').map(Number);
const BATCH = 1000;
const BATCHES_PER_YIELD = 4;

const words = Array.from({ length: K }, (_, k) => `w${k}`);
const dir = mkdtempSync(join(tmpdir(), 'tsflink-snapshot-load-'));
const files = new LocalFileSystem();

const setImmediateP = () => new Promise<void>((resolve) => setImmediate(resolve));

interface RunResult { rate: number; perCpuSecond: number; snapshots: number[]; longestStallMs: number }

async function run(intervalMs: number, seconds: number): Promise<RunResult> {
  const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
  const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
  const payload = PAYLOAD > 0 ? backend.getState(new ValueStateDescriptor<string>('payload')) : undefined;
  for (let k = 0; k < K; k++) {
    backend.setCurrentKey(words[k]!);
    count.update(0);
    payload?.update(randomBytes(Math.ceil((PAYLOAD * 3) / 4)).toString('base64').slice(0, PAYLOAD));
  }
  const snapshots: number[] = [];
  let writing = false;
  let id = 0;
  const timer = intervalMs > 0 ? setInterval(() => {
    if (writing) return;
    writing = true;
    const started = performance.now();
    const snapshot = backend.snapshot(++id);
    void (async () => {
      const sink = new ThresholdStateOutput(files, join(dir, `chk-${id}`), 0); // the TaskManager's stream: fsync on close
      await snapshot.write(sink);
      await sink.close();
      snapshots.push(performance.now() - started);
      rmSync(join(dir, `chk-${id}`), { force: true });
      writing = false;
    })();
  }, intervalMs) : undefined;
  let i = 0;
  let batches = 0;
  let longest = 0;
  const warmupEnd = performance.now() + 1000;
  let from = 0;
  let fromRecords = 0;
  let fromCpu = process.cpuUsage();
  let end = Number.POSITIVE_INFINITY;
  let lastTurn = performance.now();
  for (;;) {
    for (let b = 0; b < BATCH; b++, i++) {
      backend.setCurrentKey(words[((i % K) * 7919) % K]!);
      count.update(count.value() + 1);
    }
    if (++batches % BATCHES_PER_YIELD === 0) {
      const now = performance.now();
      if (from > 0) longest = Math.max(longest, now - lastTurn);
      await setImmediateP();
      lastTurn = performance.now();
      if (from === 0 && lastTurn >= warmupEnd) {
        from = lastTurn;
        fromRecords = i;
        fromCpu = process.cpuUsage();
        end = from + seconds * 1000;
      } else if (lastTurn >= end) break;
    }
  }
  const rate = (i - fromRecords) / ((performance.now() - from) / 1000);
  const cpu = process.cpuUsage(fromCpu);
  const perCpuSecond = (i - fromRecords) / ((cpu.user + cpu.system) / 1e6);
  if (timer) clearInterval(timer);
  while (writing) await setImmediateP();
  return { rate, perCpuSecond, snapshots, longestStallMs: longest };
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
  const result = await run(Number(process.argv[child + 1]), SECONDS);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

const modes = [0, ...INTERVALS];
const results = new Map<number, RunResult[]>(modes.map((m) => [m, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let j = 0; j < modes.length; j++) {
    const mode = modes[(j + round) % modes.length]!;
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--child', String(mode)], { encoding: 'utf8' });
    results.get(mode)!.push(JSON.parse(out) as RunResult);
  }
}
say(`records per CPU-second of each run (M): ${modes.map((m) => `${m === 0 ? 'none' : `${m} ms`} ${results.get(m)!.map((r) => (r.perCpuSecond / 1e6).toFixed(2)).join(' ')}`).join('; ')}`);
rmSync(dir, { recursive: true, force: true });
say(`node ${process.version}; ${K} keys${PAYLOAD ? ` + ${PAYLOAD} B payload each` : ''}, ${SECONDS} s per run, ${ROUNDS} rounds`);
say(table(['snapshots', 'records/s (median)', 'ratio to none (median of per-round ratios)', 'records per CPU-s ratio (same)', 'snapshots taken', 'duration p50 ms', 'p99 ms', 'longest stall ms (median)'],
  modes.map((mode) => {
    const runs = results.get(mode)!;
    const ratios = runs.map((r, round) => r.rate / results.get(0)![round]!.rate);
    const cpuRatios = runs.map((r, round) => r.perCpuSecond / results.get(0)![round]!.perCpuSecond);
    const durations = runs.flatMap((r) => r.snapshots);
    return [
      mode === 0 ? 'none' : `every ${mode} ms`, median(runs.map((r) => r.rate)), mode === 0 ? '1' : median(ratios).toFixed(3),
      mode === 0 ? '1' : median(cpuRatios).toFixed(3),
      mode === 0 ? '-' : durations.length, mode === 0 ? '-' : quantile(durations, 0.5), mode === 0 ? '-' : quantile(durations, 0.99),
      median(runs.map((r) => r.longestStallMs)),
    ];
  })));
