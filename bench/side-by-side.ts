/**
 * Two jobs measured at the same time, one per core: the way to compare two
 * configurations on a machine whose speed drifts by up to 2× within a minute
 * (see README, "Method").
 *
 * Each of two TaskManagers runs one job and is pinned with `taskset` (all its
 * threads, so its garbage collector and file writes stay on its core too) to
 * one of the machine's two cores. Every window the two swap cores, so neither
 * configuration keeps a faster or busier core. A window's two rates come from
 * the jobs' own progress reports over the same wall-clock interval, so
 * whatever slows the machine down in that interval slows both: the ratio of
 * the two rates is what the configurations differ by. The JobManager and this
 * process are not pinned; they use little CPU.
 *
 * The two cores are not equally fast: measured here, one often gives its job
 * 1.5× what the other gives, for minutes (the other vCPU's neighbours, the
 * unpinned processes), so the windows' ratios alternate high/low with the swaps
 * and their median lands anywhere between the two. The estimate is therefore
 * taken per swap pair: the geometric mean of two consecutive windows' ratios,
 * one with each assignment, in which a core's factor cancels out.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { DaemonProcess } from '../packages/testing/src/daemon-process.js';
import { benchEvents, cpuMsOf, median, sleep, windowRate } from './cluster-bench.js';

export interface PairedWindow {
  from: number;
  to: number;
  /** Records/s of the job on taskManagers[0] and on taskManagers[1] in this window. */
  rates: [number, number];
  /** The core each TaskManager was pinned to. */
  cores: [number, number];
  /** rates[1] / rates[0]. */
  ratio: number;
}

export interface SideBySideResult {
  windows: PairedWindow[];
  /** Per two consecutive windows (one with each core assignment): √(ratio × ratio). */
  swapPairRatios: number[];
  /** Median of {@link swapPairRatios}. */
  medianRatio: number;
  /** Records per CPU-second of each TaskManager over the measured time, and their ratio [1] / [0]. */
  perCpuSecond: [number, number];
  perCpuSecondRatio: number;
  /** CPU cores each TaskManager used on average (≤ 1 when pinned). */
  cores: [number, number];
}

/** Pins every thread of `pid` to `core` (taskset -a: threads started later inherit it). */
function pin(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** Lets every thread of `pid` run on any core again. */
function unpin(pid: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', `0-${availableParallelism() - 1}`, String(pid)], { stdio: 'ignore' });
}

/** √(ratio × ratio) of each two consecutive windows: windows 0 and 1, 2 and 3, … (an odd last one is left out). */
function swapPairRatios(windows: readonly PairedWindow[]): number[] {
  const out: number[] = [];
  for (let w = 0; w + 1 < windows.length; w += 2) out.push(Math.sqrt(windows[w]!.ratio * windows[w + 1]!.ratio));
  return out;
}

/**
 * Runs `windows` windows (rounded up to an even number) of `windowMs`; before
 * each, TaskManager 0 goes to core (w mod 2) and TaskManager 1 to the other;
 * rates count from `settleMs` after the swap (caches refill on the new core).
 * Both jobs must be running.
 */
export async function sideBySide(
  taskManagers: readonly [DaemonProcess, DaemonProcess],
  options: { windows: number; windowMs: number; settleMs?: number },
): Promise<SideBySideResult> {
  const settle = options.settleMs ?? 300;
  const pids = taskManagers.map((tm) => tm.pid);
  const slots: Array<{ from: number; to: number; cores: [number, number] }> = [];
  let cpu0: number[] = [];
  let measuredFrom = 0;
  try {
    const count = options.windows + (options.windows % 2);
    for (let w = 0; w < count; w++) {
      const cores: [number, number] = w % 2 === 0 ? [0, 1] : [1, 0];
      pin(pids[0]!, cores[0]);
      pin(pids[1]!, cores[1]);
      await sleep(settle);
      const from = Date.now();
      if (w === 0) { cpu0 = pids.map(cpuMsOf); measuredFrom = from; }
      await sleep(options.windowMs - settle);
      slots.push({ from, to: Date.now(), cores });
    }
  } finally {
    for (const pid of pids) unpin(pid);
  }
  // CPU time counts the settle parts too; compare it with records over the same span.
  const cpuMs = pids.map((pid, i) => cpuMsOf(pid) - cpu0[i]!);
  const measuredTo = Date.now();
  await sleep(300); // the last reports of the last window
  const events = benchEvents(taskManagers);
  const ofTm = (i: number) => events.filter((e) => e.tm === taskManagers[i]!.name);
  const perTm = [ofTm(0), ofTm(1)];
  const windows = slots.map((s): PairedWindow => {
    const rates: [number, number] = [windowRate(perTm[0]!, s.from, s.to), windowRate(perTm[1]!, s.from, s.to)];
    return { ...s, rates, ratio: rates[1] / rates[0] };
  });
  const recordsIn = (i: number) => windowRate(perTm[i]!, measuredFrom, measuredTo) * ((measuredTo - measuredFrom) / 1000);
  const perCpuSecond: [number, number] = [recordsIn(0) / (cpuMs[0]! / 1000), recordsIn(1) / (cpuMs[1]! / 1000)];
  const wallS = (measuredTo - measuredFrom) / 1000;
  const pairs = swapPairRatios(windows);
  return {
    windows,
    swapPairRatios: pairs,
    medianRatio: median(pairs),
    perCpuSecond,
    perCpuSecondRatio: perCpuSecond[1] / perCpuSecond[0],
    cores: [cpuMs[0]! / 1000 / wallS, cpuMs[1]! / 1000 / wallS],
  };
}
