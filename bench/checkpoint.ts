/**
 * Checkpointing costs on a real cluster (issue 4), side by side in one run:
 *
 * A. Throughput of the keyed running count (bench/jobs/keyed-count.ts, 100 K
 *    keys, ~1 MB of keyed state) with checkpoints every 1 s and every 100 ms ÷
 *    without: the job without checkpoints and the job with them run at the same
 *    time on one cluster, one TaskManager each, pinned to the two cores and
 *    swapped every window (side-by-side.ts), so whatever the shared machine does
 *    in a window slows both. Each round runs three pairs in a rotating order:
 *    none vs none (the noise of the method itself), none vs every 1 s, none vs
 *    every 100 ms. Three estimators per interval: the median over the swap
 *    pairs (two consecutive windows, one per core assignment; see
 *    side-by-side.ts) with its 90 % bootstrap interval, the ratio of the total
 *    records, and the ratio per TaskManager CPU-second; a goal is met or missed
 *    only when all three agree. Also shown: the job without checkpoints ÷ the
 *    plain loop (run with both TaskManagers stopped after each pair). The
 *    durations of the checkpoints in the windows (trigger → complete, the
 *    JobManager's "Completed checkpoint N ... (X bytes in Y ms)" lines) give
 *    p50/p99 for small state, and the TaskManagers' debug lines "Acknowledged
 *    checkpoint N" (syncMs, asyncMs) the synchronous pause and the asynchronous
 *    write per task.
 * B. Large keyed state (--state, default 256 MiB; --state 1GiB for the issue's
 *    figure): the same job with a 1 KiB payload string per key, checkpointed
 *    periodically on file://; durations of the checkpoints taken once every key
 *    holds its payload, next to plain Node doing v8.serialize of the same Maps
 *    (128 of them, like key groups) + write in 4 MiB chunks + fsync, in this process.
 * C. Recovery, at p1 on 1 + 1 spare and at p2 on 2 + 1 spare TaskManagers:
 *    kill -9 of a TaskManager that runs the job (checkpoints every 1 s,
 *    restart-strategy fixed-delay 1 s): time until the JobManager logs the loss
 *    ("is lost"), schedules the restart, assigns state, the restored counter is
 *    open again, and the first new output, all relative to the kill.
 *
 *   node --conditions=source --import tsx bench/checkpoint.ts
 *     [--duration 20] [--warmup 3] [--rounds 2] [--parallelism 1] [--keys 100000]
 *     [--state 256MiB] [--state-checkpoints 3] [--state-interval 3000]
 *     [--kills 2] [--kill-configs p1,p2] [--restart-delay 1000] [--skip a,b,c]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster } from '../packages/testing/src/mini-cluster.js';
import type { DaemonProcess } from '../packages/testing/src/daemon-process.js';
import {
  JOB_FILE, MiB, benchEvents, bootstrapInterval, buildPlainState, geometricMean, loadAverage, median, memoryOf, numberFlag,
  plainSnapshot, quantile, say, sizeFlag, sleep, stringFlag, table, verdict, waitUntil, writeResults,
} from './cluster-bench.js';
import { measureBaselineWordsPerSecond } from './baseline.js';
import { sideBySide, type SideBySideResult } from './side-by-side.js';

const durationS = numberFlag('duration', 20);
const SLICE_MS = 2000;
/** Side-by-side windows per pair of part A (side-by-side.ts rounds them up to an even number). */
const windowsPerPair = Math.max(2, Math.round((durationS * 1000) / SLICE_MS));
const warmupS = numberFlag('warmup', 3);
const rounds = numberFlag('rounds', 2);
const parallelism = numberFlag('parallelism', 1);
const keys = numberFlag('keys', 100_000);
const stateBytes = sizeFlag('state', 256 * MiB);
const stateCheckpoints = numberFlag('state-checkpoints', 3);
const stateIntervalMs = numberFlag('state-interval', 3000);
const kills = numberFlag('kills', 2);
const killConfigs = stringFlag('kill-configs', 'p1,p2').split(',').map((c) => Number(c.replace(/^p/, '')));
const restartDelayMs = numberFlag('restart-delay', 1000);
const skip = new Set(stringFlag('skip', '').split(',').filter(Boolean));
const PAYLOAD_BYTES = 1024;

// The TaskStateWriter's "Acknowledged checkpoint" lines (syncMs/asyncMs) are debug level; children inherit process.env.
process.env.FLINK_LOG_LEVEL = 'debug';

type LogRecord = Record<string, unknown> & { time: string; msg: string };
const timeOf = (r: LogRecord) => Date.parse(r.time);
const recordsOf = (d: DaemonProcess) => d.records() as LogRecord[];

interface CheckpointRecord { checkpointId: number; triggeredAt: number; completedAt: number; durationMs: number; stateBytes: number }

/** Completed checkpoints (not savepoints) of the JobManager log, with their trigger times. */
function completedCheckpoints(jm: DaemonProcess, jobId: string): CheckpointRecord[] {
  const triggered = new Map<number, number>();
  const out: CheckpointRecord[] = [];
  for (const r of recordsOf(jm)) {
    if (typeof r.checkpointId !== 'number' || r.kind !== 'checkpoint' || !r.msg.includes(jobId)) continue;
    if (r.msg.startsWith('Triggering checkpoint')) triggered.set(r.checkpointId, timeOf(r));
    if (r.msg.startsWith('Completed checkpoint')) {
      out.push({
        checkpointId: r.checkpointId, triggeredAt: triggered.get(r.checkpointId) ?? Number.NaN, completedAt: timeOf(r),
        durationMs: Number(r.durationMs), stateBytes: Number(r.stateBytes),
      });
    }
  }
  return out;
}

interface AckRecord { task: string; checkpointId: number; syncMs: number; asyncMs: number; bytes: number }

/** The "Acknowledged checkpoint" debug lines in the TaskManagers' log records, with the task name of each attempt. */
function acknowledgements(tmRecords: readonly LogRecord[][], jobId: string): AckRecord[] {
  const out: AckRecord[] = [];
  for (const all of tmRecords) {
    const records = all.filter((r) => r.jobId === jobId);
    const names = new Map<string, string>();
    for (const r of records) {
      const m = /^Task (.+) is running\.$/.exec(r.msg);
      if (m && typeof r.attemptId === 'string') names.set(r.attemptId, m[1]!);
    }
    for (const r of records) {
      if (!r.msg.startsWith('Acknowledged checkpoint')) continue;
      out.push({
        task: names.get(String(r.attemptId)) ?? String(r.attemptId), checkpointId: Number(r.checkpointId),
        syncMs: Number(r.syncMs), asyncMs: Number(r.asyncMs), bytes: Number(r.bytes),
      });
    }
  }
  return out;
}

function distribution(values: number[]): { n: number; p50: number; p99: number; max: number } {
  return { n: values.length, p50: quantile(values, 0.5), p99: quantile(values, 0.99), max: values.length ? Math.max(...values) : Number.NaN };
}

function ackTable(acks: AckRecord[]): Array<Array<string | number>> {
  const tasks = [...new Set(acks.map((a) => a.task))].sort();
  return tasks.map((task) => {
    const mine = acks.filter((a) => a.task === task);
    const sync = distribution(mine.map((a) => a.syncMs));
    const asy = distribution(mine.map((a) => a.asyncMs));
    return [task, sync.n, sync.p50, sync.p99, sync.max, asy.p50, asy.p99, median(mine.map((a) => a.bytes))];
  });
}

// ---------------------------------------------------------------- A. throughput with and without checkpoints

/** One job of a pair: its checkpoint interval (0 = none), id and TaskManager. */
interface PairJob { mode: number; jobId: string; tm: DaemonProcess }

interface PairRun {
  round: number;
  /** jobs[1] is compared with jobs[0] (the job without checkpoints). */
  jobs: [PairJob, PairJob];
  from: number;
  to: number;
  result: SideBySideResult;
  /** The plain loop (both TaskManagers stopped) right after the pair's windows, and the first job's rate ÷ it. */
  plainRate: number;
  noneToPlain: number;
  checkpoints: CheckpointRecord[];
}

const modeName = (mode: number) => (mode === 0 ? 'none' : `every ${mode} ms`);

/** Submits a job and returns the TaskManager its sink reports from (each TaskManager has one slot). */
async function submitOnFreeTaskManager(cluster: MiniCluster, mode: number): Promise<PairJob> {
  const submitted = Date.now();
  const jobId = await cluster.submit(JOB_FILE, ['--keys', String(keys), '--checkpoint-ms', String(mode), '--report-ms', '100'], ['-p', '1']);
  const first = await waitUntil(`the first records of the job ${modeName(mode)}`,
    () => benchEvents(cluster.taskManagers).find((e) => e.e === 'first' && e.t >= submitted), 60_000);
  return { mode, jobId, tm: cluster.taskManagers.find((tm) => tm.name === first.tm)! };
}

/**
 * Runs the job without checkpoints and the job with `mode` at the same time, one
 * TaskManager each, pinned to swapping cores (side-by-side.ts). jobs[0] (the
 * job without checkpoints) is submitted first in even rounds and second in odd
 * ones, so that over an even number of rounds each side runs on each
 * TaskManager: they are separate processes, and one is often ~5–10 % faster
 * than the other for the same job, for the whole run.
 */
async function runPair(cluster: MiniCluster, mode: number, round: number): Promise<PairRun> {
  const evenRound = round % 2 === 0;
  const first = await submitOnFreeTaskManager(cluster, evenRound ? 0 : mode);
  const second = await submitOnFreeTaskManager(cluster, evenRound ? mode : 0);
  const jobs: [PairJob, PairJob] = evenRound ? [first, second] : [second, first];
  try {
    await sleep(warmupS * 1000);
    const from = Date.now();
    const result = await sideBySide([jobs[0].tm, jobs[1].tm], { windows: windowsPerPair, windowMs: SLICE_MS });
    const to = Date.now();
    const pids = [jobs[0].tm.pid, jobs[1].tm.pid];
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let plainRate: number;
    try {
      plainRate = measureBaselineWordsPerSecond(1, 2_000_000, keys);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    const checkpoints = completedCheckpoints(cluster.jobManager, jobs[1].jobId).filter((c) => c.triggeredAt >= from && c.completedAt <= to);
    const noneRate = median(result.windows.map((w) => w.rates[0]));
    return { round, jobs, from, to, result, plainRate, noneToPlain: noneRate / plainRate, checkpoints };
  } finally {
    for (const job of jobs) await cluster.client.cancelJob(job.jobId).catch(() => {});
    for (const job of jobs) await cluster.waitForJob(job.jobId, (st) => st.state === 'CANCELED' || st.state === 'FAILED', 30_000);
  }
}

async function partA(dir: string): Promise<Record<string, unknown>> {
  say(`A. throughput with checkpoints every 1 s / 100 ms ÷ without, p1, ${keys} keys: the two jobs side by side, `
    + `one TaskManager each, pinned to the two cores and swapped every ${SLICE_MS / 1000} s (${windowsPerPair} windows per pair, ${rounds} rounds); `
    + 'each round also runs a pair without checkpoints on both sides, for the noise of the method itself');
  if (parallelism !== 1) say('  (part A always runs p1: the method needs one core per job)');
  const cluster = await MiniCluster.start({
    taskManagers: 2, slotsPerTaskManager: 1,
    config: { 'execution.checkpointing.dir': `file://${join(dir, 'checkpoints-a')}` },
  });
  const runs: PairRun[] = [];
  try {
    const plan: Array<{ mode: number; round: number }> = [];
    const modes = [0, 1000, 100];
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < modes.length; j++) plan.push({ mode: modes[(j + round) % modes.length]!, round });
    }
    for (const { mode, round } of plan) {
      const run = await runPair(cluster, mode, round);
      runs.push(run);
      const r = run.result;
      say(`  round ${round + 1}, none vs ${modeName(mode)}: ${r.windows.map((w) => `${(w.rates[0] / 1e6).toFixed(2)}/${(w.rates[1] / 1e6).toFixed(2)}`).join(' ')} M rec/s `
        + `→ ratio ${r.medianRatio.toFixed(3)} (swap pairs ${r.swapPairRatios.map((x) => x.toFixed(2)).join(' ')}); per CPU-s ${r.perCpuSecondRatio.toFixed(3)} `
        + `(cores ${r.cores.map((c) => c.toFixed(2)).join('/')}); none ÷ plain loop ${run.noneToPlain.toFixed(2)} (plain ${(run.plainRate / 1e6).toFixed(2)} M/s); `
        + `${run.checkpoints.length} checkpoints`);
    }
    const rows: Array<Array<string | number>> = [];
    const summary: Record<string, unknown> = {};
    for (const [mode, goalRatio] of [[0, NaN], [1000, 0.95], [100, 0.85]] as const) {
      const mine = runs.filter((r) => r.jobs[1].mode === mode);
      const allWindows = mine.flatMap((r) => r.result.windows);
      // Per orientation (the TaskManager that ran jobs[0]), then the geometric mean over the
      // orientations: a TaskManager's own speed factor enters one as f and the other as 1/f.
      const orientations = [...new Set(mine.map((r) => r.jobs[0].tm.name))].sort();
      const byOrientation = orientations.map((name) => mine.filter((r) => r.jobs[0].tm.name === name));
      const pairGroups = byOrientation.map((rs) => rs.flatMap((r) => r.result.swapPairRatios));
      const ratios = pairGroups.flat();
      const medianOfGroups = (groups: readonly (readonly number[])[]) => geometricMean(groups.map(median));
      const pairMedian = medianOfGroups(pairGroups);
      const interval = bootstrapInterval(pairGroups, medianOfGroups);
      const sum = (values: number[]) => values.reduce((a, v) => a + v, 0);
      const totalRatio = geometricMean(byOrientation.map((rs) => {
        const ws = rs.flatMap((r) => r.result.windows);
        return sum(ws.map((w) => w.rates[1])) / sum(ws.map((w) => w.rates[0]));
      }));
      const perCpu = geometricMean(byOrientation.map((rs) => median(rs.map((r) => r.result.perCpuSecondRatio))));
      const balanced = orientations.length === 2;
      const v = mode === 0 ? '-' : balanced ? verdict([pairMedian, totalRatio, perCpu], goalRatio) : 'inconclusive (one orientation only)';
      const checkpoints = mine.flatMap((r) => r.checkpoints);
      const measuredS = mine.reduce((a, r) => a + (r.to - r.from) / 1000, 0);
      const durations = distribution(checkpoints.map((c) => c.durationMs));
      rows.push([
        `none vs ${modeName(mode)}`, `${allWindows.length} (${pairGroups.map((g) => g.length).join(' + ')} swap pairs)`, median(allWindows.map((w) => w.rates[0])), median(allWindows.map((w) => w.rates[1])),
        pairMedian.toFixed(3), `${interval[0].toFixed(3)}–${interval[1].toFixed(3)}`, `${quantile(ratios, 0.1).toFixed(2)}–${quantile(ratios, 0.9).toFixed(2)}`,
        totalRatio.toFixed(3), perCpu.toFixed(3),
        mode === 0 ? '-' : (checkpoints.length / measuredS).toFixed(2),
        mode === 0 ? '-' : durations.p50, mode === 0 ? '-' : durations.p99,
        mode === 0 ? '-' : median(checkpoints.map((c) => c.stateBytes)),
        mode === 0 ? '(noise of the method)' : `≥ ${goalRatio}: ${v}`,
      ]);
      summary[mode === 0 ? 'noneVsNone' : `every${mode}ms`] = {
        windows: allWindows.length, swapPairsPerOrientation: pairGroups.map((g) => g.length), orientations, medianRatio: pairMedian, interval90: interval, totalRatio, ratioP10: quantile(ratios, 0.1), ratioP90: quantile(ratios, 0.9),
        perCpuSecondRatio: perCpu, goal: goalRatio, verdict: v, checkpointsPerSecond: checkpoints.length / measuredS,
        checkpointDurationMs: durations, stateBytes: median(checkpoints.map((c) => c.stateBytes)),
      };
    }
    const noneToPlain = median(runs.map((r) => r.noneToPlain));
    summary.noCheckpointsRatioToPlain = noneToPlain;
    say('');
    say(table(['pair (jobs[0] vs jobs[1])', 'windows', 'records/s without (median)', 'records/s with', 'ratio with ÷ without (median of swap pairs)¹',
      '90 % interval', 'swap pairs p10–p90', 'ratio of total records', 'per TM CPU-s ratio', 'checkpoints/s', 'duration p50 ms', 'p99 ms', 'state bytes',
      'goal (all three estimators)'], rows));
    say('¹ per orientation (which TaskManager ran the job without checkpoints), then the geometric mean of the two; the same for the other two'
      + ' estimators; the interval is a stratified bootstrap over the swap pairs');
    say(`(the job without checkpoints ran at ${noneToPlain.toFixed(2)}× the plain loop, measured with both TaskManagers stopped after each pair)`);
    const tmRecords = cluster.taskManagers.map(recordsOf);
    const acks = runs.filter((r) => r.jobs[1].mode !== 0).flatMap((r) => {
      const ids = new Set(r.checkpoints.map((c) => c.checkpointId));
      return acknowledgements(tmRecords, r.jobs[1].jobId).filter((a) => ids.has(a.checkpointId))
        .map((a) => ({ ...a, task: `${a.task} @${r.jobs[1].mode} ms` }));
    });
    const ackRows = ackTable(acks);
    say(table(['task @ interval', 'acks', 'sync p50 ms', 'sync p99 ms', 'sync max ms', 'async p50 ms', 'async p99 ms', 'bytes'], ackRows));
    summary.acknowledgements = ackRows;
    summary.runs = runs.map((r) => ({ round: r.round, modes: r.jobs.map((j) => j.mode), tms: r.jobs.map((j) => j.tm.name), ...r.result, plainRate: r.plainRate }));
    return summary;
  } finally {
    await cluster.close();
  }
}

// ---------------------------------------------------------------- B. large state

async function partB(dir: string): Promise<Record<string, unknown>> {
  const stateKeys = Math.round(stateBytes / PAYLOAD_BYTES);
  say(`\nB. checkpoint duration with ${(stateBytes / MiB).toFixed(0)} MiB of keyed state (${stateKeys} keys × ${PAYLOAD_BYTES} B payload + count), p${parallelism}, every ${stateIntervalMs} ms`);
  const cluster = await MiniCluster.start({
    taskManagers: parallelism, slotsPerTaskManager: 1,
    config: { 'execution.checkpointing.dir': `file://${join(dir, 'checkpoints-b')}`, 'execution.checkpointing.timeout': '10 min' },
  });
  let engine: CheckpointRecord[] = [];
  let acks: AckRecord[] = [];
  let fillMs = 0;
  let tmPeakRssMiB: number[] = [];
  try {
    const submitted = Date.now();
    const jobId = await cluster.submit(JOB_FILE, ['--keys', String(stateKeys), '--payload', String(PAYLOAD_BYTES), '--checkpoint-ms', String(stateIntervalMs)], ['-p', String(parallelism)]);
    // Every key holds its payload once the sinks together counted `stateKeys` records (each key's first record comes first).
    const filledAt = await waitUntil('the state to fill', () => {
      const events = benchEvents(cluster.taskManagers).filter((e) => e.e === 'progress' && e.t >= submitted);
      const last = new Map<number, { n: number; t: number }>();
      for (const e of events) last.set(e.sub, { n: e.n!, t: e.t });
      const total = [...last.values()].reduce((a, v) => a + v.n, 0);
      return total >= stateKeys ? Math.max(...[...last.values()].map((v) => v.t)) : undefined;
    }, 10 * 60_000, 200);
    const firstAt = Math.min(...benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t >= submitted).map((e) => e.t));
    fillMs = filledAt - firstAt;
    await waitUntil(`${stateCheckpoints} checkpoints of the full state`, () => {
      const done = completedCheckpoints(cluster.jobManager, jobId).filter((c) => c.triggeredAt >= filledAt);
      return done.length >= stateCheckpoints ? done : undefined;
    }, 20 * 60_000, 200);
    engine = completedCheckpoints(cluster.jobManager, jobId).filter((c) => c.triggeredAt >= filledAt).slice(0, stateCheckpoints);
    const ids = new Set(engine.map((c) => c.checkpointId));
    acks = acknowledgements(cluster.taskManagers.map(recordsOf), jobId).filter((a) => ids.has(a.checkpointId));
    tmPeakRssMiB = cluster.taskManagers.map((tm) => (memoryOf(tm.pid)?.hwm ?? Number.NaN) / MiB);
    await cluster.client.cancelJob(jobId).catch(() => {});
  } finally {
    await cluster.close();
  }

  // Plain Node, same process, same sizes: v8.serialize of 128 Maps per state + 4 MiB writes + fsync.
  const plain = buildPlainState(stateKeys, PAYLOAD_BYTES);
  const maps = [...plain.counts, ...plain.payloads] as Map<string, unknown>[];
  const plainRuns = [];
  for (let i = 0; i < 3; i++) {
    plainRuns.push(plainSnapshot(join(dir, `plain-${i}.bin`), maps));
    rmSync(join(dir, `plain-${i}.bin`), { force: true });
  }
  const plainMs = median(plainRuns.map((r) => r.ms));
  const plainBytes = median(plainRuns.map((r) => r.bytes));
  const engineMs = median(engine.map((c) => c.durationMs));
  const engineBytes = median(engine.map((c) => c.stateBytes));
  say(table(['', 'checkpoints', 'bytes', 'duration p50 ms', 'max ms', 'MB/s', 'ratio to plain'], [
    ['tsflink checkpoint (trigger → complete)', engine.length, engineBytes, engineMs, Math.max(...engine.map((c) => c.durationMs)), engineBytes / 1e3 / engineMs, engineMs / plainMs],
    ['plain v8.serialize + write + fsync', plainRuns.length, plainBytes, plainMs, Math.max(...plainRuns.map((r) => r.ms)), plainBytes / 1e3 / plainMs, 1],
  ]));
  say(table(['task', 'acks', 'sync p50 ms', 'sync p99 ms', 'sync max ms', 'async p50 ms', 'async p99 ms', 'bytes'], ackTable(acks)));
  say(`(filling ${stateKeys} keys took ${fillMs} ms; plain serialize part ${median(plainRuns.map((r) => r.serializeMs)).toFixed(0)} ms; TaskManager peak RSS (VmHWM) ${tmPeakRssMiB.map((m) => m.toFixed(0)).join(' / ')} MiB)`);
  return {
    stateBytesTarget: stateBytes, keys: stateKeys, payloadBytes: PAYLOAD_BYTES, intervalMs: stateIntervalMs, fillMs, tmPeakRssMiB,
    engine, engineDurationP50Ms: engineMs, engineBytes, acknowledgements: ackTable(acks),
    plain: plainRuns, plainMs, plainBytes, ratioEngineToPlain: engineMs / plainMs,
  };
}

// ---------------------------------------------------------------- C. kill -9 recovery

async function partC(dir: string, p: number): Promise<Record<string, unknown>> {
  say(`\nC. kill -9 of a TaskManager running the job (p${p} on ${p} + 1 spare TaskManagers, checkpoints every 1 s, fixed-delay restart ${restartDelayMs} ms, ${kills} kills)`);
  const cluster = await MiniCluster.start({
    taskManagers: p + 1, slotsPerTaskManager: 1,
    config: {
      'execution.checkpointing.dir': `file://${join(dir, `checkpoints-c${p}`)}`,
      'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 1000,
      'restart-strategy.fixed-delay.delay': `${restartDelayMs} ms`,
    },
  });
  const results: Array<Record<string, number | boolean>> = [];
  try {
    const submitted = Date.now();
    const jobId = await cluster.submit(JOB_FILE, ['--keys', String(keys), '--checkpoint-ms', '1000'], ['-p', String(p)]);
    await waitUntil('first records', () => benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t >= submitted).length >= p, 60_000);
    for (let k = 0; k < kills; k++) {
      const before = completedCheckpoints(cluster.jobManager, jobId).length;
      await waitUntil('a completed checkpoint', () => completedCheckpoints(cluster.jobManager, jobId).length > before, 60_000);
      await sleep(300);
      // A TaskManager whose sink reported last is running (part of) the job.
      const latest = benchEvents(cluster.taskManagers).at(-1)!;
      const victim = cluster.taskManagers.findIndex((tm) => tm.name === latest.tm);
      const killedAt = Date.now();
      await cluster.killTaskManager(victim, 'SIGKILL');
      const jmAfter = () => (cluster.jobManager.records() as LogRecord[]).filter((r) => timeOf(r) >= killedAt - 5);
      const lost = await waitUntil('the JobManager to notice', () => jmAfter().find((r) => r.msg.includes('is lost')), 30_000);
      // Every sink subtask of the new attempt produced output again.
      const firstAfter = await waitUntil('new output', () => {
        const firsts = benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t > killedAt);
        return firsts.length >= p ? firsts[p - 1] : undefined;
      }, 60_000);
      const openAfter = benchEvents(cluster.taskManagers).filter((e) => e.e === 'open' && e.t > killedAt)[p - 1];
      const restarting = jmAfter().find((r) => r.msg.startsWith('Restarting job'));
      const restoring = jmAfter().find((r) => r.msg.startsWith('Restoring job'));
      const running = jmAfter().find((r) => /switched from \w+ to RUNNING/.test(r.msg) && timeOf(r) >= (restarting ? timeOf(restarting) : killedAt));
      const cancelTimeout = jmAfter().some((r) => r.msg.startsWith('Not every task confirmed its cancellation in time'));
      results.push({
        lostMs: timeOf(lost) - killedAt,
        restartScheduledMs: restarting ? timeOf(restarting) - killedAt : Number.NaN,
        restoringMs: restoring ? timeOf(restoring) - killedAt : Number.NaN,
        runningMs: running ? timeOf(running) - killedAt : Number.NaN,
        openMs: openAfter ? openAfter.t - killedAt : Number.NaN,
        firstOutputMs: firstAfter.t - killedAt,
        cancelConfirmTimeout: cancelTimeout,
      });
      say(`  kill ${k + 1}: lost after ${results.at(-1)!.lostMs} ms, first new output after ${results.at(-1)!.firstOutputMs} ms`
        + (cancelTimeout ? ' (the JobManager waited for its cancel-confirmation timeout: "Not every task confirmed its cancellation in time")' : ''));
      await cluster.startTaskManager(); // the spare for the next kill
      await cluster.waitForTaskManagers(p + 1);
    }
    await cluster.client.cancelJob(jobId).catch(() => {});
  } finally {
    await cluster.close();
  }
  const col = (name: string) => median(results.map((r) => r[name] as number));
  const max = (name: string) => Math.max(...results.map((r) => r[name] as number));
  const rows: Array<[string, number, number]> = [
    ['JobManager logs "is lost"', col('lostMs'), max('lostMs')],
    ['restart scheduled ("Restarting job … in N ms")', col('restartScheduledMs'), max('restartScheduledMs')],
    ['state assigned ("Restoring job … from checkpoint")', col('restoringMs'), max('restoringMs')],
    ['job RUNNING again', col('runningMs'), max('runningMs')],
    ['restored counter open (TaskManager)', col('openMs'), max('openMs')],
    ['first new output (every sink subtask)', col('firstOutputMs'), max('firstOutputMs')],
  ];
  say(table(['after kill -9 (ms)', 'median', 'max'], rows));
  const overhead = col('firstOutputMs') - col('lostMs') - restartDelayMs;
  say(`(first output − detection − restart delay = ${overhead.toFixed(0)} ms; goal per DESIGN 13: only restart delay + restore + source catch-up)`);
  return { parallelism: p, restartDelayMs, kills: results, medians: Object.fromEntries(rows.map((r) => [r[0], r[1]])), overheadMs: overhead };
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`node ${process.version}; load average ${loadAverage().join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-bench-checkpoint-'));
  const results: Record<string, unknown> = {
    command: `node --conditions=source --import tsx bench/checkpoint.ts ${process.argv.slice(2).join(' ')}`.trim(),
    node: process.version, date: new Date().toISOString(), parallelism, keys, durationS, warmupS, rounds,
  };
  try {
    if (!skip.has('a')) results.throughput = await partA(dir);
    if (!skip.has('b')) results.largeState = await partB(dir);
    if (!skip.has('c')) {
      const recovery: Record<string, unknown>[] = [];
      for (const p of killConfigs) recovery.push(await partC(dir, p));
      results.recovery = recovery;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.loadAverage = loadAverage();
  say(`(${((Date.now() - started) / 1000).toFixed(0)} s in all; load average at the end ${loadAverage().join(' ')})`);
  say(`results: ${writeResults('checkpoint', results)}`);
}

await main();
