/**
 * Helpers shared by the cluster benchmarks (throughput.ts, checkpoint.ts,
 * savepoint.ts): command-line flags, the job's own progress reports
 * (bench/jobs/keyed-count.ts), /proc sampling of TaskManager memory and CPU,
 * the plain-loop baseline measured between runs, tables and JSON results.
 */
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import type { DaemonProcess } from '../packages/testing/src/daemon-process.js';
import { measureBaselineWordsPerSecond, median } from './baseline.js';
import { BENCH_LINE_PREFIX } from './jobs/bench-report.js';

export { median };

export const JOB_FILE = new URL('./jobs/keyed-count.ts', import.meta.url).pathname;
export const RESULTS_DIR = new URL('./results/', import.meta.url).pathname;

// ---------------------------------------------------------------- flags

export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number, got "${process.argv[i + 1]}".`);
  return v;
}

export function stringFlag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

export function booleanFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** Parses sizes such as 256MiB, 1GiB, 100M, 1048576. */
export function sizeFlag(name: string, fallback: number): number {
  const text = stringFlag(name, '');
  if (text === '') return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*(k|ki|kib|m|mi|mib|g|gi|gib)?b?$/i.exec(text);
  if (!m) throw new Error(`--${name} needs a size such as 256MiB, got "${text}".`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

// ---------------------------------------------------------------- timing

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(everyMs);
  }
}

/** p-quantile (0..1) by nearest rank of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * A percentile bootstrap interval of `statistic` over `groups` of values: each
 * resample draws, with replacement, as many values from each group as it holds
 * (a stratified bootstrap: groups measured under different conditions stay
 * apart), and the interval is the `q` and `1 - q` quantiles of the statistic over
 * `resamples` resamples. The generator has a fixed seed, so the same values give
 * the same interval. With q = 0.05: a 90 % interval.
 */
export function bootstrapInterval(
  groups: readonly (readonly number[])[], statistic: (samples: readonly (readonly number[])[]) => number, q = 0.05, resamples = 2000,
): [number, number] {
  if (groups.length === 0 || groups.some((g) => g.length === 0)) return [Number.NaN, Number.NaN];
  let seed = 0x9e3779b9;
  /** mulberry32: a small, well-mixed 32-bit generator; enough for resampling indices. */
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const samples = groups.map((g) => new Array<number>(g.length));
  const estimates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    groups.forEach((g, k) => {
      const sample = samples[k]!;
      for (let i = 0; i < sample.length; i++) sample[i] = g[Math.floor(random() * g.length)]!;
    });
    estimates.push(statistic(samples));
  }
  return [quantile(estimates, q), quantile(estimates, 1 - q)];
}

/** The geometric mean: the average of ratios that multiply (a factor and its inverse average to 1). */
export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);
}

// ---------------------------------------------------------------- the job's reports

export interface BenchEvent {
  e: 'open' | 'first' | 'progress';
  sub: number;
  att: number;
  n?: number;
  /** Date.now() in the TaskManager (same host clock as this process). */
  t: number;
  tm: string;
}

/** Every TSFLINK_BENCH line printed by the given TaskManagers so far. */
export function benchEvents(tms: readonly DaemonProcess[]): BenchEvent[] {
  const out: BenchEvent[] = [];
  for (const tm of tms) {
    for (const line of tm.lines) {
      if (!line.startsWith(BENCH_LINE_PREFIX)) continue;
      out.push({ ...(JSON.parse(line.slice(BENCH_LINE_PREFIX.length)) as Omit<BenchEvent, 'tm'>), tm: tm.name });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** Records counted by all sink subtasks of attempt `att`, interpolated at time t (linear between reports). */
function countAt(series: Map<number, Array<{ t: number; n: number }>>, t: number): number {
  let total = 0;
  for (const points of series.values()) {
    if (points.length === 0 || t <= points[0]!.t) { total += points[0]?.n ?? 0; continue; }
    const last = points[points.length - 1]!;
    if (t >= last.t) { total += last.n; continue; }
    let i = 1;
    while (points[i]!.t < t) i++;
    const a = points[i - 1]!;
    const b = points[i]!;
    total += a.n + ((b.n - a.n) * (t - a.t)) / (b.t - a.t);
  }
  return total;
}

export interface RateMeasurement {
  /** Records/s over the whole window (all subtasks). */
  recordsPerSecond: number;
  /** Median, min and max of the per-interval rates. */
  medianIntervalRate: number;
  minIntervalRate: number;
  maxIntervalRate: number;
  intervals: number;
  records: number;
  windowMs: number;
}

/**
 * Throughput of the job's sinks between `from` and `to` (ms since the epoch),
 * from their own progress reports: total and per `intervalMs` slice.
 */
export function measureRate(events: readonly BenchEvent[], from: number, to: number, intervalMs = 1000): RateMeasurement {
  const series = new Map<number, Array<{ t: number; n: number }>>();
  for (const e of events) {
    if (e.e !== 'progress') continue;
    const key = e.sub * 1000 + e.att;
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push({ t: e.t, n: e.n! });
  }
  const rates: number[] = [];
  for (let t = from; t + intervalMs <= to + 1; t += intervalMs) {
    rates.push(((countAt(series, t + intervalMs) - countAt(series, t)) * 1000) / intervalMs);
  }
  const records = countAt(series, to) - countAt(series, from);
  return {
    recordsPerSecond: (records * 1000) / (to - from),
    medianIntervalRate: median(rates),
    minIntervalRate: Math.min(...rates),
    maxIntervalRate: Math.max(...rates),
    intervals: rates.length,
    records,
    windowMs: to - from,
  };
}

// ---------------------------------------------------------------- /proc

const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; }
})();

/** VmRSS and VmHWM of a process in bytes (undefined once it is gone). */
export function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a process (all its threads) in ms. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ... utime(11) stime(12)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/**
 * The main thread's scheduler counters (/proc/<pid>/schedstat): ns on a CPU and ns
 * runnable but waiting for one. Over a window, on-CPU + waiting − wall = the
 * time the thread was blocked (idle in epoll, waiting for I/O or a timer).
 */
export function schedOf(pid: number): { runNs: number; waitNs: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { runNs: run!, waitNs: wait! };
  } catch {
    return { runNs: Number.NaN, waitNs: Number.NaN };
  }
}

/** Shares of a wall-clock window the main thread spent running, waiting for a CPU (starved) and blocked (idle). */
export function schedShares(before: { runNs: number; waitNs: number }, after: { runNs: number; waitNs: number }, wallMs: number): { running: number; waitingForCpu: number; idle: number } {
  const running = (after.runNs - before.runNs) / 1e6 / wallMs;
  const waitingForCpu = (after.waitNs - before.waitNs) / 1e6 / wallMs;
  return { running, waitingForCpu, idle: Math.max(0, 1 - running - waitingForCpu) };
}

/** Samples VmRSS of some processes every `everyMs` (DESIGN: 500 ms). */
export class RssSampler {
  readonly samples = new Map<number, Array<{ t: number; rss: number }>>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: readonly number[], private readonly everyMs = 500) {
    for (const p of pids) this.samples.set(p, []);
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const t = Date.now();
    for (const p of this.pids) {
      const m = memoryOf(p);
      if (m) this.samples.get(p)!.push({ t, rss: m.rss });
    }
  }

  /** Peak, the median of each quarter of the run, and the growth from the 2nd to the 4th quarter (MiB). */
  summary(pid: number): RssSummary {
    const s = this.samples.get(pid) ?? [];
    const rss = s.map((x) => x.rss);
    const q = (i: number) => {
      const part = rss.slice(Math.floor((i * rss.length) / 4), Math.max(Math.floor(((i + 1) * rss.length) / 4), Math.floor((i * rss.length) / 4) + 1));
      return median(part) / MiB;
    };
    const quarters = [0, 1, 2, 3].map(q);
    return {
      samples: rss.length,
      peakMiB: Math.max(...rss) / MiB,
      hwmMiB: (memoryOf(pid)?.hwm ?? Number.NaN) / MiB,
      quarterMediansMiB: quarters,
      growthMiB: quarters[3]! - quarters[1]!,
    };
  }
}

export interface RssSummary {
  samples: number;
  peakMiB: number;
  /** VmHWM at the end of the run (the process's lifetime peak). */
  hwmMiB: number;
  quarterMediansMiB: number[];
  /** Median RSS of the last quarter minus that of the second quarter. */
  growthMiB: number;
}

export const MiB = 1024 * 1024;

// ---------------------------------------------------------------- the baseline

export interface BaselineSample { wordsPerSecond: number; wordsPerCpuSecond: number }

/**
 * The plain-loop baseline (bench/baseline.ts) for `rounds` rounds, each also
 * timed in CPU seconds of this process, so it can be set against the
 * TaskManagers' CPU time on a shared machine.
 */
export function baselineRounds(rounds: number, distinctKeys: number, wordsPerRound = 3_000_000): BaselineSample[] {
  const out: BaselineSample[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const rate = measureBaselineWordsPerSecond(1, wordsPerRound, distinctKeys);
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    // Scale the wall-clock rate by the share of a core this process got during the call (GC threads included).
    out.push({ wordsPerSecond: rate, wordsPerCpuSecond: (rate * wallS) / cpuS });
  }
  return out;
}

// ---------------------------------------------------------------- stop/go: job and plain loop side by side

export interface StopGoWindow {
  /** The job's window (after the settle time), ms since the epoch. */
  from: number;
  to: number;
  /** Records/s of all sink subtasks in the window, from their own reports. */
  jobRate: number;
  /** The plain loop's words/s in the slice right after the window (TaskManagers stopped). */
  baselineRate: number;
  ratio: number;
}

export interface StopGoResult {
  windows: StopGoWindow[];
  /** Pauses (SIGSTOP → SIGCONT), to discard what overlaps them (e.g. checkpoint durations). */
  pauses: Array<{ from: number; to: number }>;
  /** Median of the per-window ratios job / plain loop. */
  medianRatio: number;
  medianJobRate: number;
  medianBaselineRate: number;
  /** TaskManager CPU ms and wall ms of the job windows (stopped processes use no CPU). */
  cpuMs: number;
  jobWallMs: number;
  /** Per TaskManager main thread: shares of the job time running, waiting for a CPU, blocked. */
  mainThread: Array<{ running: number; waitingForCpu: number; idle: number }>;
}

/** Records/s of the job between `from` and `to` from report points inside the window (no interpolation across pauses). */
export function windowRate(events: readonly BenchEvent[], from: number, to: number): number {
  const bySeries = new Map<string, BenchEvent[]>();
  for (const e of events) {
    if (e.e !== 'progress' || e.t < from || e.t > to) continue;
    const k = `${e.tm}/${e.sub}/${e.att}`;
    if (!bySeries.has(k)) bySeries.set(k, []);
    bySeries.get(k)!.push(e);
  }
  let rate = 0;
  for (const pts of bySeries.values()) {
    if (pts.length < 2) continue;
    const a = pts[0]!;
    const b = pts[pts.length - 1]!;
    if (b.t > a.t) rate += ((b.n! - a.n!) * 1000) / (b.t - a.t);
  }
  return rate;
}

/**
 * Measures a running job and the plain loop side by side on a machine whose
 * speed drifts: `cycles` times, the job runs alone for `sliceMs`, then its
 * TaskManagers are frozen (SIGSTOP) while this process runs one round of the
 * plain loop, then thawed (SIGCONT). Each window's job rate (from the job's own
 * reports, `settleMs` after the thaw) is paired with the loop round right after
 * it. A pause lasts well under the heartbeat timeout.
 */
export async function stopGo(tms: readonly DaemonProcess[], options: { cycles: number; sliceMs: number; settleMs?: number; keys: number; baselineWords?: number }): Promise<StopGoResult> {
  const settle = options.settleMs ?? 300;
  const pids = tms.map((t) => t.pid);
  const cpu0 = pids.map(cpuMsOf);
  const sched0 = pids.map(schedOf);
  const slots: Array<{ from: number; to: number; baselineRate: number }> = [];
  const pauses: Array<{ from: number; to: number }> = [];
  let jobWallMs = 0;
  let runStart = Date.now();
  for (let c = 0; c < options.cycles; c++) {
    await sleep(options.sliceMs);
    const runEnd = Date.now();
    jobWallMs += runEnd - runStart;
    for (const p of pids) process.kill(p, 'SIGSTOP');
    const pausedAt = Date.now();
    const baselineRate = measureBaselineWordsPerSecond(1, options.baselineWords ?? 2_000_000, options.keys);
    for (const p of pids) process.kill(p, 'SIGCONT');
    runStart = Date.now();
    pauses.push({ from: pausedAt, to: runStart });
    slots.push({ from: runEnd - options.sliceMs + settle, to: runEnd, baselineRate });
  }
  const cpuMs = pids.map(cpuMsOf).reduce((a, c, i) => a + c - cpu0[i]!, 0);
  const sched1 = pids.map(schedOf);
  await sleep(300); // the last reports
  const events = benchEvents(tms);
  const windows = slots.map((s) => {
    const jobRate = windowRate(events, s.from, s.to);
    return { ...s, jobRate, ratio: jobRate / s.baselineRate };
  });
  return {
    windows, pauses,
    medianRatio: median(windows.map((w) => w.ratio)),
    medianJobRate: median(windows.map((w) => w.jobRate)),
    medianBaselineRate: median(windows.map((w) => w.baselineRate)),
    cpuMs, jobWallMs,
    mainThread: pids.map((_, i) => schedShares(sched0[i]!, sched1[i]!, jobWallMs)),
  };
}

// ---------------------------------------------------------------- plain-Node state I/O

/**
 * `keys` entries in `groups` Maps (like the heap backend's key groups) of the
 * job's two states: count (number) and, with `payloadBytes`, a string per key.
 */
export function buildPlainState(keys: number, payloadBytes: number, groups = 128): { counts: Map<string, number>[]; payloads: Map<string, string>[] } {
  const counts = Array.from({ length: groups }, () => new Map<string, number>());
  const payloads = Array.from({ length: groups }, () => new Map<string, string>());
  const raw = Buffer.allocUnsafe(Math.max(4, Math.ceil((payloadBytes * 3) / 4)));
  for (let k = 0; k < keys; k++) {
    const key = `w${k}`;
    const g = k % groups;
    counts[g]!.set(key, 1 + (k % 1000));
    if (payloadBytes > 0) {
      randomFillSync(raw);
      payloads[g]!.set(key, raw.toString('base64').slice(0, payloadBytes));
    }
  }
  return { counts, payloads };
}

const CHUNK = 4 * MiB;

/** Writes buffers to a file in ≥ 4 MiB chunks and fsyncs it; returns bytes written. */
export function writeChunked(path: string, parts: Iterable<Buffer>): number {
  const fd = openSync(path, 'w');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flush = () => {
    if (pendingBytes === 0) return;
    const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    total += buf.length;
    pending = [];
    pendingBytes = 0;
  };
  try {
    for (const p of parts) {
      pending.push(p);
      pendingBytes += p.length;
      if (pendingBytes >= CHUNK) flush();
    }
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return total;
}

/**
 * Plain Node's snapshot of the same Maps: v8.serialize one map at a time
 * (length-prefixed), written in ≥ 4 MiB chunks, then fsync. Streams, so it never
 * holds more than a chunk besides the maps. Returns ms (and the serialize share) and bytes.
 */
export function plainSnapshot(path: string, maps: readonly Map<string, unknown>[]): { ms: number; bytes: number; serializeMs: number } {
  const start = performance.now();
  let serializeMs = 0;
  function* parts(): Generator<Buffer> {
    for (const m of maps) {
      const t = performance.now();
      const b = v8.serialize(m);
      serializeMs += performance.now() - t;
      const len = Buffer.allocUnsafe(4);
      len.writeUInt32LE(b.length);
      yield len;
      yield b;
    }
  }
  const bytes = writeChunked(path, parts());
  return { ms: performance.now() - start, bytes, serializeMs };
}

/**
 * Reads back what plainSnapshot wrote, one map at a time, and deserializes each,
 * keeping every map until the end (a restore keeps its state: what survives
 * decides the garbage collector's share); returns ms and entries.
 */
export function plainRestore(path: string, bytes: number): { ms: number; entries: number } {
  const start = performance.now();
  const fd = openSync(path, 'r');
  const restored: Map<unknown, unknown>[] = [];
  let entries = 0;
  try {
    const len = Buffer.allocUnsafe(4);
    for (let off = 0; off < bytes;) {
      readSync(fd, len, 0, 4, off);
      const n = len.readUInt32LE(0);
      const buf = Buffer.allocUnsafe(n);
      for (let got = 0; got < n;) got += readSync(fd, buf, got, n - got, off + 4 + got);
      const map = v8.deserialize(buf) as Map<unknown, unknown>;
      restored.push(map);
      entries += map.size;
      off += 4 + n;
    }
  } finally {
    closeSync(fd);
  }
  return { ms: performance.now() - start, entries };
}

/** Writes `bytes` of (incompressible) data in 4 MiB chunks + fsync, then reads it back; ms of each. */
export function plainFileIo(path: string, bytes: number): { writeMs: number; readMs: number } {
  const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, bytes)));
  let start = performance.now();
  function* parts() {
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  writeChunked(path, parts());
  const writeMs = performance.now() - start;
  // Read back into one reused 4 MiB buffer: the file system's speed, not the allocator's.
  start = performance.now();
  const fd = openSync(path, 'r');
  try {
    for (let pos = 0; pos < bytes;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes - pos), pos);
      if (n <= 0) break;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return { writeMs, readMs: performance.now() - start };
}

// ---------------------------------------------------------------- output

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n') + '\n';
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(0)} K`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

export function say(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function writeResults(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

export function goal(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

/**
 * A goal verdict from several estimators of the same ratio (e.g. relative to the
 * paired plain loop, raw, per CPU-second): met or MISSED only when they all agree,
 * otherwise the machine's noise decides and the verdict says so.
 */
export function verdict(estimates: readonly number[], atLeast: number): 'met' | 'MISSED' | 'inconclusive' {
  const finite = estimates.filter(Number.isFinite);
  if (finite.every((e) => e >= atLeast)) return 'met';
  if (finite.every((e) => e < atLeast)) return 'MISSED';
  return 'inconclusive';
}

/** The machine's load, for the record (the machine is shared). */
export function loadAverage(): number[] {
  try { return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number); } catch { return []; }
}
