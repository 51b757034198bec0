/**
 * Savepoint and restore times on a real cluster (issue 5), next to plain Node
 * file I/O of the same bytes in the same run.
 *
 * The job (bench/jobs/keyed-count.ts) holds `--state` bytes of keyed state:
 * one 1 KiB payload string per key plus a running count, --state / 1 KiB keys.
 * Checkpointing is enabled with a 1 h interval only because savepoints need it
 * (see the README); no periodic checkpoint runs during the measurement.
 *
 * - Savepoint: `client.triggerSavepoint` round trip (what `flink savepoint`
 *   waits for, without the CLI's start-up), and the JobManager's own
 *   "Completed savepoint N (X bytes in Y ms)" trigger → complete time; the
 *   TaskManager's asynchronous write time from its "Acknowledged checkpoint"
 *   debug line.
 * - Restore: `flink run -d -s <savepoint>` of the same job, timed on the
 *   TaskManager from "Task counter -> Sink: sink (1/1) is running." (logged
 *   just before state is restored) to the counter's open() (called after its
 *   keyed state was restored), and to the first output; also end to end from
 *   the CLI's start. A fresh start without -s is timed the same way for reference.
 * - Plain Node, same process, same byte count: write in 4 MiB chunks + fsync,
 *   read back (from the page cache, as the restore does); and v8.serialize +
 *   write + fsync / read + v8.deserialize of equivalent Maps (128 per state).
 *
 *   node --conditions=source --import tsx bench/savepoint.ts
 *     [--state 100MiB] (the large figure: --state 1GiB)
 *     [--savepoints 5] [--restores 5] [--parallelism 1]
 *     [--rate 0] (source records/s in total, 0 = unthrottled; the state fills at that rate: keys ÷ rate seconds)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster } from '../packages/testing/src/mini-cluster.js';
import type { DaemonProcess } from '../packages/testing/src/daemon-process.js';
import {
  JOB_FILE, MiB, baselineRounds, benchEvents, buildPlainState, loadAverage, median, memoryOf, numberFlag, plainFileIo, plainRestore,
  plainSnapshot, say, sizeFlag, table, waitUntil, writeResults,
} from './cluster-bench.js';

const stateBytes = sizeFlag('state', 100 * MiB);
const savepoints = numberFlag('savepoints', 5);
const restores = numberFlag('restores', 5);
const parallelism = numberFlag('parallelism', 1);
const rate = numberFlag('rate', 0);
const PAYLOAD_BYTES = 1024;
const keys = Math.round(stateBytes / PAYLOAD_BYTES);

process.env.FLINK_LOG_LEVEL = 'debug';

type LogRecord = Record<string, unknown> & { time: string; msg: string };
const timeOf = (r: LogRecord) => Date.parse(r.time);
const recordsOf = (d: DaemonProcess) => d.records() as LogRecord[];

function jobArgs(): string[] {
  return ['--keys', String(keys), '--payload', String(PAYLOAD_BYTES), '--checkpoint-ms', '3600000', '--rate', String(rate), '--report-ms', '200'];
}

/** Waits until every key has its payload: the sinks together counted `keys` records since `since`. */
async function waitForFill(cluster: MiniCluster, since: number): Promise<number> {
  return waitUntil('the state to fill', () => {
    const last = new Map<number, { n: number; t: number }>();
    for (const e of benchEvents(cluster.taskManagers)) if (e.e === 'progress' && e.t >= since) last.set(e.sub, { n: e.n!, t: e.t });
    const total = [...last.values()].reduce((a, v) => a + v.n, 0);
    return total >= keys ? Math.max(...[...last.values()].map((v) => v.t)) : undefined;
  }, 20 * 60_000, 200);
}

interface StartTiming { cliToRunningMs: number; taskRunningToOpenMs: number; taskRunningToFirstOutputMs: number; cliToFirstOutputMs: number }

/** Submits the job (optionally from a savepoint) and times its start on the TaskManagers. */
async function timedStart(cluster: MiniCluster, savepoint: string | undefined): Promise<{ jobId: string; timing: StartTiming }> {
  const since = Date.now();
  const cli = ['-p', String(parallelism), ...(savepoint ? ['-s', savepoint] : [])];
  const jobId = await cluster.submit(JOB_FILE, jobArgs(), cli);
  const opens = await waitUntil('the restored counters to open', () => {
    const o = benchEvents(cluster.taskManagers).filter((e) => e.e === 'open' && e.t >= since);
    return o.length >= parallelism ? o : undefined;
  }, 20 * 60_000, 20);
  const firsts = await waitUntil('first output', () => {
    const f = benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t >= since);
    return f.length >= parallelism ? f : undefined;
  }, 20 * 60_000, 20);
  const taskRunning = cluster.taskManagers.flatMap((tm) => recordsOf(tm))
    .filter((r) => r.jobId === jobId && /^Task counter .* is running\.$/.test(r.msg)).map(timeOf);
  const jmRunning = recordsOf(cluster.jobManager).find((r) => r.msg.includes(jobId) && / to RUNNING\.$/.test(r.msg));
  const lastOpen = Math.max(...opens.map((e) => e.t));
  const lastFirst = Math.max(...firsts.map((e) => e.t));
  const firstTaskRunning = Math.min(...taskRunning);
  return {
    jobId,
    timing: {
      cliToRunningMs: jmRunning ? timeOf(jmRunning) - since : Number.NaN,
      taskRunningToOpenMs: lastOpen - firstTaskRunning,
      taskRunningToFirstOutputMs: lastFirst - firstTaskRunning,
      cliToFirstOutputMs: lastFirst - since,
    },
  };
}

async function cancel(cluster: MiniCluster, jobId: string): Promise<void> {
  await cluster.client.cancelJob(jobId).catch(() => {});
  await cluster.waitForJob(jobId, (s) => s.state === 'CANCELED' || s.state === 'FAILED', 60_000).catch(() => {});
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`node ${process.version}; ${(stateBytes / MiB).toFixed(0)} MiB of keyed state = ${keys} keys × ${PAYLOAD_BYTES} B + count, p${parallelism}, source ${rate || 'unthrottled'}; load average ${loadAverage().join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-bench-savepoint-'));
  const baseline = baselineRounds(3, 100_000);
  const cluster = await MiniCluster.start({
    taskManagers: parallelism, slotsPerTaskManager: 1,
    config: {
      'execution.checkpointing.dir': `file://${join(dir, 'checkpoints')}`,
      'execution.checkpointing.savepoint-dir': `file://${join(dir, 'savepoints')}`,
      'execution.checkpointing.timeout': '30 min',
    },
  });
  const sp: Array<{ path: string; roundTripMs: number; jmMs: number; bytes: number; tmAsyncMs: number; tmSyncMs: number }> = [];
  const restored: StartTiming[] = [];
  let fresh: StartTiming | undefined;
  let fillMs = 0;
  let tmPeakRssMiB: number[] = [];
  try {
    // A fresh start (no state) for reference, then fill the state.
    const submitted = Date.now();
    const first = await timedStart(cluster, undefined);
    fresh = first.timing;
    const filledAt = await waitForFill(cluster, submitted);
    fillMs = filledAt - Math.min(...benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t >= submitted).map((e) => e.t));
    say(`filled ${keys} keys in ${fillMs} ms`);
    for (let i = 0; i < savepoints; i++) {
      const t0 = performance.now();
      const path = await cluster.client.triggerSavepoint(first.jobId, undefined);
      const roundTripMs = performance.now() - t0;
      const done = await waitUntil('the savepoint log line', () => recordsOf(cluster.jobManager)
        .filter((r) => r.kind === 'savepoint' && r.msg.startsWith('Completed savepoint')).at(-1), 10_000);
      const id = Number(done.checkpointId);
      const acks = cluster.taskManagers.flatMap((tm) => recordsOf(tm)).filter((r) => r.msg === `Acknowledged checkpoint ${id}.` && Number(r.bytes) > 1000);
      sp.push({
        path, roundTripMs, jmMs: Number(done.durationMs), bytes: Number(done.stateBytes),
        tmAsyncMs: Math.max(...acks.map((a) => Number(a.asyncMs))), tmSyncMs: Math.max(...acks.map((a) => Number(a.syncMs))),
      });
      say(`  savepoint ${i + 1}: ${(sp.at(-1)!.bytes / MiB).toFixed(1)} MiB, round trip ${roundTripMs.toFixed(0)} ms, JobManager ${sp.at(-1)!.jmMs} ms`);
    }
    await cancel(cluster, first.jobId);
    const path = sp.at(-1)!.path;
    for (let i = 0; i < restores; i++) {
      const r = await timedStart(cluster, path);
      restored.push(r.timing);
      say(`  restore ${i + 1}: task running → state restored (open) ${r.timing.taskRunningToOpenMs} ms, CLI → first output ${r.timing.cliToFirstOutputMs} ms`);
      await cancel(cluster, r.jobId);
    }
    tmPeakRssMiB = cluster.taskManagers.map((tm) => (memoryOf(tm.pid)?.hwm ?? Number.NaN) / MiB);
  } finally {
    await cluster.close();
  }

  // Plain Node, same bytes.
  const bytes = median(sp.map((s) => s.bytes));
  const io = [0, 1, 2].map((i) => plainFileIo(join(dir, `plain-io-${i}.bin`), bytes));
  const plain = buildPlainState(keys, PAYLOAD_BYTES);
  const maps = [...plain.counts, ...plain.payloads] as Map<string, unknown>[];
  const v8Runs = [0, 1, 2].map((i) => {
    const file = join(dir, `plain-v8-${i}.bin`);
    const w = plainSnapshot(file, maps);
    const r = plainRestore(file, w.bytes);
    return { writeMs: w.ms, readMs: r.ms, bytes: w.bytes };
  });
  rmSync(dir, { recursive: true, force: true });

  const plainWrite = median(io.map((x) => x.writeMs));
  const plainRead = median(io.map((x) => x.readMs));
  const v8Write = median(v8Runs.map((x) => x.writeMs));
  const v8Read = median(v8Runs.map((x) => x.readMs));
  const spRoundTrip = median(sp.map((s) => s.roundTripMs));
  const spJm = median(sp.map((s) => s.jmMs));
  const spAsync = median(sp.map((s) => s.tmAsyncMs));
  const restoreOpen = median(restored.map((r) => r.taskRunningToOpenMs));
  const restoreFirst = median(restored.map((r) => r.taskRunningToFirstOutputMs));
  const restoreCli = median(restored.map((r) => r.cliToFirstOutputMs));
  const mb = bytes / 1e6;
  say('');
  say(table(['operation', 'ms (median)', 'MB/s', 'ratio to plain write/read', 'ratio to plain v8 + file'], [
    ['savepoint: triggerSavepoint round trip', spRoundTrip, mb / (spRoundTrip / 1000), (spRoundTrip / plainWrite).toFixed(2), (spRoundTrip / v8Write).toFixed(2)],
    ['savepoint: JobManager trigger → complete', spJm, mb / (spJm / 1000), (spJm / plainWrite).toFixed(2), (spJm / v8Write).toFixed(2)],
    ['savepoint: TaskManager async write (max over tasks)', spAsync, mb / (spAsync / 1000), (spAsync / plainWrite).toFixed(2), (spAsync / v8Write).toFixed(2)],
    ['plain: write same bytes, 4 MiB chunks + fsync', plainWrite, mb / (plainWrite / 1000), '1', '-'],
    ['plain: v8.serialize Maps + write + fsync', v8Write, v8Runs[0]!.bytes / 1e6 / (v8Write / 1000), '-', '1'],
    ['restore: task running → state restored (open)', restoreOpen, mb / (restoreOpen / 1000), (restoreOpen / plainRead).toFixed(2), (restoreOpen / v8Read).toFixed(2)],
    ['restore: task running → first output', restoreFirst, '-', (restoreFirst / plainRead).toFixed(2), (restoreFirst / v8Read).toFixed(2)],
    ['restore: flink run -s → first output (CLI included)', restoreCli, '-', '-', '-'],
    ['fresh start (no state): task running → open', fresh!.taskRunningToOpenMs, '-', '-', '-'],
    ['fresh start (no state): flink run → first output', fresh!.cliToFirstOutputMs, '-', '-', '-'],
    ['plain: read same bytes (page cache)', plainRead, mb / (plainRead / 1000), '1', '-'],
    ['plain: read + v8.deserialize Maps', v8Read, v8Runs[0]!.bytes / 1e6 / (v8Read / 1000), '-', '1'],
  ]));
  say(`savepoint size ${(bytes / MiB).toFixed(1)} MiB (plain v8 file ${(v8Runs[0]!.bytes / MiB).toFixed(1)} MiB); synchronous part on the TaskManager ≤ ${Math.max(...sp.map((s) => s.tmSyncMs))} ms; TaskManager peak RSS (VmHWM) ${tmPeakRssMiB.map((m) => m.toFixed(0)).join(' / ')} MiB; plain loop ${(median(baseline.map((b) => b.wordsPerSecond)) / 1e6).toFixed(2)} M words/s this session`);
  say(`(${((Date.now() - started) / 1000).toFixed(0)} s in all; load average at the end ${loadAverage().join(' ')})`);
  const file = writeResults('savepoint', {
    command: `node --conditions=source --import tsx bench/savepoint.ts ${process.argv.slice(2).join(' ')}`.trim(),
    node: process.version, date: new Date().toISOString(), stateBytesTarget: stateBytes, keys, payloadBytes: PAYLOAD_BYTES, parallelism, rate,
    savepoints: sp, restores: restored, freshStart: fresh, fillMs, tmPeakRssMiB,
    plain: { fileIo: io, v8: v8Runs },
    medians: { bytes, spRoundTrip, spJm, spAsync, plainWrite, v8Write, restoreOpen, restoreFirst, restoreCli, plainRead, v8Read },
    baseline, loadAverage: loadAverage(),
  });
  say(`results: ${file}`);
}

await main();
