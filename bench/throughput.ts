/**
 * Throughput and memory of a keyed running count on a real cluster (issue 3):
 *
 *   DataGeneratorSource (unthrottled) → keyBy(word) → ValueState count → discarding sink
 *
 * at parallelism 1 on one TaskManager and at parallelism 2 on two TaskManagers
 * (one slot each), each next to the plain-Node counting loop of bench/baseline.ts
 * (a Map of counts, the same 100 K keys in the same scattered order).
 *
 * Method. Every configuration gets a fresh MiniCluster (real JobManager and
 * TaskManager processes). The job's sink reports its own record count with a
 * timestamp every 100 ms on the TaskManager's stdout (bench/jobs/keyed-count.ts),
 * so start-up is never part of a rate. After a warm-up, the job and the plain
 * loop are measured side by side ("stop/go", cluster-bench.ts): the job runs
 * alone for 2 s, then its TaskManagers are frozen with SIGSTOP while this
 * process runs one round of the plain loop, then thawed; each 2 s window's rate
 * (from the job's reports, 300 ms after the thaw) is paired with the loop round
 * right after it. The machine is shared and its speed drifts 2-4× within minutes,
 * so only ratios of neighbouring measurements compare: the ratio is the median
 * of the per-window ratios. TaskManager CPU time (/proc/<pid>/stat) gives records
 * per CPU-second, hence the ratio the job would reach with p full cores, and
 * /proc/<pid>/schedstat how much of the time each TaskManager's main thread ran,
 * waited for a CPU (the machine is shared: with Linux autogroups all of this
 * session's processes share one group's CPU share), or was blocked. A goal is
 * "met" or "MISSED" when both estimates agree, else "inconclusive".
 *
 * Memory: VmRSS of each TaskManager every 500 ms (/proc/<pid>/status) over the
 * run, VmHWM at its end. Then the same job runs with its sink throttled to 10 %
 * of the rate just measured (it awaits a timer every 1,000 records) for the
 * same duration, without pauses: its RSS must stay flat (back-pressure).
 *
 *   node --conditions=source --import tsx bench/throughput.ts
 *     [--duration 20] (seconds of job time per run; the figure: --duration 60)
 *     [--warmup 3] [--keys 100000] [--rounds 1] [--configs p1,p2] [--no-throttled]
 */
import { MiniCluster } from '../packages/testing/src/mini-cluster.js';
import {
  JOB_FILE, MiB, RssSampler, benchEvents, booleanFlag, cpuMsOf, goal, loadAverage, measureRate, median, memoryOf, numberFlag,
  quantile, say, schedOf, schedShares, sleep, stopGo, stringFlag, table, verdict, waitUntil, writeResults,
  type RssSummary, type StopGoWindow,
} from './cluster-bench.js';

const durationS = numberFlag('duration', 20);
const warmupS = numberFlag('warmup', 3);
const keys = numberFlag('keys', 100_000);
const rounds = numberFlag('rounds', 1);
const configs = stringFlag('configs', 'p1,p2').split(',').map((c) => Number(c.replace(/^p/, '')));
const throttled = !booleanFlag('no-throttled');
const SLICE_MS = 2000;
const RSS_GOAL_MIB = 256;

interface RunResult {
  config: string;
  parallelism: number;
  /** Total sink rate limit of a throttled run. */
  throttle?: number;
  /** Median records/s (of the stop/go windows, or of the continuous run when throttled). */
  recordsPerSecond: number;
  /** Stop/go windows (full-speed runs only). */
  windows: StopGoWindow[];
  ratio?: number;
  baselineWordsPerSecond?: number;
  recordsPerCpuSecond: number;
  tmCores: number;
  mainThread: Array<{ running: number; waitingForCpu: number; idle: number }>;
  idleRssMiB: number[];
  rss: RssSummary[];
  startupMs: number;
}

async function runOnce(parallelism: number, throttlePerSubtask: number): Promise<RunResult> {
  const cluster = await MiniCluster.start({ taskManagers: parallelism, slotsPerTaskManager: 1 });
  try {
    const tms = [...cluster.taskManagers];
    const pids = tms.map((t) => t.pid);
    const idleRssMiB = pids.map((p) => (memoryOf(p)?.rss ?? 0) / MiB);
    const sampler = new RssSampler(pids).start();
    const submitted = Date.now();
    const args = ['--keys', String(keys), '--report-ms', '100'];
    if (throttlePerSubtask > 0) args.push('--throttle', String(Math.round(throttlePerSubtask)));
    const jobId = await cluster.submit(JOB_FILE, args, ['-p', String(parallelism)]);
    const first = await waitUntil('the first records at every sink subtask', () => {
      const firsts = benchEvents(tms).filter((e) => e.e === 'first');
      return firsts.length >= parallelism ? Math.max(...firsts.map((e) => e.t)) : undefined;
    }, 60_000);
    await sleep(warmupS * 1000);
    const base = {
      config: `p${parallelism} on ${parallelism} TM${throttlePerSubtask > 0 ? ', sink throttled to 10 %' : ''}`,
      parallelism, idleRssMiB, startupMs: first - submitted,
      throttle: throttlePerSubtask > 0 ? throttlePerSubtask * parallelism : undefined,
    };
    let result: RunResult;
    if (throttlePerSubtask === 0) {
      const sg = await stopGo(tms, { cycles: Math.max(1, Math.round((durationS * 1000) / SLICE_MS)), sliceMs: SLICE_MS, keys });
      sampler.stop();
      result = {
        ...base, recordsPerSecond: sg.medianJobRate, windows: sg.windows, ratio: sg.medianRatio,
        baselineWordsPerSecond: sg.medianBaselineRate,
        recordsPerCpuSecond: sg.windows.reduce((a, w) => a + w.jobRate * (w.to - w.from), 0) / sg.windows.reduce((a, w) => a + (w.to - w.from), 0) / (sg.cpuMs / sg.jobWallMs),
        tmCores: sg.cpuMs / sg.jobWallMs, mainThread: sg.mainThread, rss: pids.map((p) => sampler.summary(p)),
      };
    } else {
      const cpu0 = pids.map(cpuMsOf);
      const sched0 = pids.map(schedOf);
      const from = Date.now();
      await sleep(durationS * 1000);
      const to = Date.now();
      const cpuMs = pids.map(cpuMsOf).reduce((a, c, i) => a + c - cpu0[i]!, 0);
      const sched1 = pids.map(schedOf);
      await sleep(300);
      sampler.stop();
      const rate = measureRate(benchEvents(tms), from, to);
      result = {
        ...base, recordsPerSecond: rate.recordsPerSecond, windows: [], recordsPerCpuSecond: rate.records / (cpuMs / 1000),
        tmCores: cpuMs / (to - from), mainThread: pids.map((_, i) => schedShares(sched0[i]!, sched1[i]!, to - from)),
        rss: pids.map((p) => sampler.summary(p)),
      };
    }
    await cluster.client.cancelJob(jobId).catch(() => {});
    return result;
  } finally {
    await cluster.close();
  }
}

function pct(x: number): string {
  return (100 * x).toFixed(0);
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`node ${process.version}, ${keys} keys, ${durationS} s of job time per run (stop/go windows of ${SLICE_MS / 1000} s) after ${warmupS} s warm-up, `
    + `${rounds} round(s); load average ${loadAverage().join(' ')}`);
  const runs: RunResult[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of configs) {
      const full = await runOnce(p, 0);
      runs.push(full);
      say(`  ${full.config}: ${(full.recordsPerSecond / 1e6).toFixed(3)} M rec/s next to plain ${(full.baselineWordsPerSecond! / 1e6).toFixed(2)} M/s `
        + `→ ratio ${full.ratio!.toFixed(3)} (windows ${full.windows.map((w) => w.ratio.toFixed(2)).join(' ')}); TMs used ${full.tmCores.toFixed(2)} cores; `
        + `TM peak RSS ${full.rss.map((s) => s.peakMiB.toFixed(0)).join('/')} MiB`);
      if (throttled) {
        const slow = await runOnce(p, (0.1 * full.recordsPerSecond) / p);
        runs.push(slow);
        say(`  ${slow.config}: ${(slow.recordsPerSecond / 1e6).toFixed(3)} M rec/s, TM peak RSS ${slow.rss.map((s) => s.peakMiB.toFixed(0)).join('/')} MiB`);
      }
    }
  }

  const byConfig = new Map<string, RunResult[]>();
  for (const run of runs) byConfig.set(run.config, [...(byConfig.get(run.config) ?? []), run]);
  const rows: Array<Array<string | number>> = [];
  const summary: Record<string, unknown>[] = [];
  for (const [config, list] of byConfig) {
    const p = list[0]!.parallelism;
    const isThrottled = list[0]!.throttle !== undefined;
    const windows = list.flatMap((r) => r.windows);
    const rate = isThrottled ? median(list.map((r) => r.recordsPerSecond)) : median(windows.map((w) => w.jobRate));
    const base = isThrottled ? Number.NaN : median(windows.map((w) => w.baselineRate));
    const ratio = isThrottled ? Number.NaN : median(windows.map((w) => w.ratio));
    const goalRatio = p === 1 ? 0.5 : 0.15 * p;
    const perCpu = median(list.map((r) => r.recordsPerCpuSecond));
    const cores = median(list.map((r) => r.tmCores));
    const peak = Math.max(...list.flatMap((r) => r.rss.map((s) => Math.max(s.peakMiB, Number.isFinite(s.hwmMiB) ? s.hwmMiB : 0))));
    const growth = Math.max(...list.flatMap((r) => r.rss.map((s) => s.growthMiB)));
    const flat = growth <= Math.max(16, 0.1 * peak);
    rows.push([
      config,
      rate,
      isThrottled ? '-' : base,
      isThrottled ? '-' : `${ratio.toFixed(3)} (goal ≥ ${goalRatio.toFixed(2)}: ${verdict([ratio, (perCpu * Math.min(p, 2)) / base], goalRatio)})`,
      isThrottled ? '-' : `${quantile(windows.map((w) => w.ratio), 0.1).toFixed(2)}–${quantile(windows.map((w) => w.ratio), 0.9).toFixed(2)} (${windows.length})`,
      isThrottled ? '-' : ((perCpu * Math.min(p, 2)) / base).toFixed(3),
      cores.toFixed(2),
      list[0]!.mainThread.map((m) => `${pct(m.running)}/${pct(m.waitingForCpu)}/${pct(m.idle)}`).join(' ; '),
      `${list.map((r) => r.rss.map((s) => s.peakMiB.toFixed(0)).join(' / ')).join(', ')} (goal ≤ ${RSS_GOAL_MIB}: ${goal(peak <= RSS_GOAL_MIB)})`,
      `${list[0]!.rss.map((s) => s.quarterMediansMiB.map((q) => q.toFixed(0)).join('→')).join(' ; ')} (${flat ? 'flat' : 'GROWING'})`,
    ]);
    summary.push({
      config, parallelism: p, throttledTo: list[0]!.throttle, recordsPerSecond: rate,
      baselineWordsPerSecond: isThrottled ? undefined : base, ratioToBaseline: isThrottled ? undefined : ratio,
      goalRatio: isThrottled ? undefined : goalRatio,
      verdict: isThrottled ? undefined : verdict([ratio, (perCpu * Math.min(p, 2)) / base], goalRatio),
      projectedRatioWithAllCores: isThrottled ? undefined : (perCpu * Math.min(p, 2)) / base,
      recordsPerTmCpuSecond: perCpu, cpuNormalizedRatio: isThrottled ? undefined : perCpu / base, tmCores: cores,
      peakRssMiB: peak, rssGrowthMiB: growth, rssFlat: flat, rssGoalMet: peak <= RSS_GOAL_MIB,
    });
  }
  say('');
  say(table(
    ['run', 'records/s (median window)', 'plain loop/s (paired)', 'ratio to plain (median of windows)', 'ratio p10–p90 (windows)',
      'projected ratio with p full cores (per TM CPU-s)', 'TM cores used', 'TM main thread run/wait-for-CPU/blocked %', 'TM peak RSS MiB', 'RSS quarter medians MiB'],
    rows,
  ));
  say(`(${((Date.now() - started) / 1000).toFixed(0)} s in all; load average at the end ${loadAverage().join(' ')})`);
  const file = writeResults('throughput', {
    command: `node --conditions=source --import tsx bench/throughput.ts ${process.argv.slice(2).join(' ')}`.trim(),
    node: process.version, keys, durationS, warmupS, rounds, sliceMs: SLICE_MS, date: new Date().toISOString(), loadAverage: loadAverage(),
    summary, runs,
  });
  say(`results: ${file}`);
}

await main();
