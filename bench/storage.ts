/**
 * Shared state backends (issue 6): checkpoint duration, savepoint time and
 * restore time for the same keyed state on file://, on s3rver (s3://) and on
 * the WebHDFS test server (hdfs://), in one run, next to plain Node writing and
 * reading the same number of bytes on local disk.
 *
 * Set-up: one MiniCluster per backend (JobManager + one TaskManager with one
 * slot, each its own process), configured as a user would in flink-conf.yaml:
 * `execution.checkpointing.dir` / `execution.checkpointing.savepoint-dir`
 * (= the deprecated `state.checkpoints.dir` / `state.savepoints.dir`) pointing
 * at the backend, plus the server's `s3.*` or `fs.hdfs.*` keys. s3rver and the
 * WebHDFS server run as child processes (the latter via
 * WebHdfsTestServerProcess), so neither shares an event loop with this process
 * or with the cluster. All three stores keep their bytes under the same tmpdir
 * on the same disk.
 *
 * The job (bench/jobs/storage-state-job.ts) holds `--state` bytes of keyed
 * state: one `--payload`-character random string per key, --state / --payload
 * keys, p = 1. Its source emits each key once and then idles, so during every
 * measurement no record flows: the numbers are the cost of moving state, not
 * of aligning barriers behind a backlog.
 *
 * Per backend: a fresh job fills the state; a warm-up savepoint → cancel →
 * restore → cancel (not counted: it loads the S3 SDK / WebHDFS client in the
 * processes and warms the JIT). Then `--rounds` rounds; in each round every
 * backend, in an order rotated each round, takes its turn — and only one
 * backend's job runs at any time, so no measurement overlaps another:
 *
 *   (c) restore: `flink run -d -s <the backend's last savepoint>` of the same
 *       job. The keyed function's open() runs only after the operator's
 *       initializeState() has read, checksummed and decoded every key group
 *       (stream-task awaits it), and it prints an "open" line: so
 *         - restore (task): TaskManager "Task state -> … is running." →
 *           "open" = fetching + decoding the state, the storage-dependent part;
 *         - restore (CLI → restored): from starting `flink run -s` to "open",
 *           what a user waits for (CLI start-up, planning, submission,
 *           scheduling and deployment included; the fresh start without state
 *           on the same cluster is printed for reference).
 *   (a) checkpoint: the restored job's periodic checkpoint (interval chosen
 *       per submission, see below; exactly one per job) — trigger → complete
 *       from the JobManager's "Completed checkpoint N … (X bytes in Y ms)"
 *       line (Y = trigger → _metadata written), with the TaskManager's
 *       "Acknowledged checkpoint N" debug line for the synchronous part and
 *       the asynchronous upload of the task;
 *   (b) savepoint: wall time of `client.triggerSavepoint(jobId)` (what
 *       `flink savepoint` waits for, without the CLI's start-up), and the
 *       JobManager's own trigger → complete time; then cancel. The next
 *       round restores from this savepoint.
 *   Order of (a) and (b): the first snapshot after a restore costs the
 *   TaskManager clearly more CPU than the second (measured: ~+60 % on 32 MiB,
 *   whichever kind it is — the freshly restored heap is still being
 *   promoted/collected), so with `--order alt` (default) even rounds take the
 *   checkpoint first (min-pause 1 h: exactly one periodic checkpoint) and odd
 *   rounds the savepoint first (min-pause 0, interval past the savepoint);
 *   `--order cs` / `--order sc` fix one order. A second table splits the
 *   snapshots by position.
 *   plain: after each round, this process writes the median state size in
 *       4 MiB chunks + fsync to a file in the same tmpdir and reads it back
 *       (page cache, as the stores' reads of freshly written state are); and,
 *       a closer reference for what any Node process must do with this state,
 *       v8.serialize of the same entries in 128 Maps + write + fsync, and read
 *       + v8.deserialize.

 * The checkpoint interval of each restored job is max(--checkpoint-ms,
 * 2 × that backend's last task restore time + 1 s): the periodic trigger must
 * come after the state is restored, or the checkpoint would wait for the
 * restore. Each sample records whether its trigger came after "open"; one that
 * did not is reported as "overlapped" and left out of the medians.
 *
 * CPU time (utime + stime from /proc) of the TaskManager, the JobManager and
 * the storage server is taken around each operation, to show where the time goes.
 *
 *   node --conditions=source --import tsx bench/storage.ts
 *     [--state 32MiB] (the issue's figure: --state 100MiB) [--payload 1024]
 *     [--rounds 4] [--order alt|cs|sc] [--checkpoint-ms 3000] [--backends file,s3,hdfs]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_LINE_PREFIX } from './jobs/bench-report.js';
import { MiniCluster } from '../packages/testing/src/mini-cluster.js';
import type { DaemonProcess } from '../packages/testing/src/daemon-process.js';
import { S3TestServer } from '../packages/testing/src/servers/s3-test-server.js';
import { WebHdfsTestServerProcess } from '../packages/testing/src/servers/webhdfs-test-server-process.js';
import {
  MiB, baselineRounds, buildPlainState, cpuMsOf, loadAverage, median, numberFlag, plainFileIo, plainRestore, plainSnapshot, say, sizeFlag, sleep, stringFlag, table,
  writeResults,
} from './cluster-bench.js';

const JOB = new URL('./jobs/storage-state-job.ts', import.meta.url).pathname;
const stateTarget = sizeFlag('state', 32 * MiB);
const payloadBytes = numberFlag('payload', 1024);
const rounds = numberFlag('rounds', 4);
const order = stringFlag('order', 'alt');
if (!['cs', 'sc', 'alt'].includes(order)) throw new Error(`--order must be cs, sc or alt, got "${order}".`);
/** Whether the checkpoint comes before the savepoint in this round. */
const checkpointFirst = (round: number) => order === 'cs' || (order === 'alt' && round % 2 === 0);
const minIntervalMs = numberFlag('checkpoint-ms', 3000);
const backendNames = stringFlag('backends', 'file,s3,hdfs').split(',').filter(Boolean) as BackendName[];
const keys = Math.max(1, Math.round(stateTarget / payloadBytes));

// The TaskManager's "Acknowledged checkpoint" lines (syncMs/asyncMs) are debug level; children inherit process.env.
process.env.FLINK_LOG_LEVEL = 'debug';

type BackendName = 'file' | 's3' | 'hdfs';
const LABEL: Record<BackendName, string> = { file: 'file://', s3: 's3:// (s3rver)', hdfs: 'hdfs:// (WebHDFS server)' };

type LogRecord = Record<string, unknown> & { time: string; msg: string };
interface BenchEvent { e: string; sub: number; att: number; n?: number; t: number }

/** Parses a daemon's output incrementally: JSON log records and the job's TSFLINK_BENCH lines. */
class Tail {
  readonly records: LogRecord[] = [];
  readonly events: BenchEvent[] = [];
  private seen = 0;
  constructor(readonly daemon: DaemonProcess) {}
  poll(): this {
    const lines = this.daemon.lines;
    for (; this.seen < lines.length; this.seen++) {
      const l = lines[this.seen]!;
      if (l.startsWith('{')) {
        try { this.records.push(JSON.parse(l) as LogRecord); } catch { /* not JSON */ }
      } else if (l.startsWith(BENCH_LINE_PREFIX)) {
        this.events.push(JSON.parse(l.slice(BENCH_LINE_PREFIX.length)) as BenchEvent);
      }
    }
    return this;
  }
}

const timeOf = (r: LogRecord) => Date.parse(r.time);

interface CpuSample { tm: number; jm: number; server: number }
interface CheckpointSample {
  round: number; checkpointId: number; jmMs: number; bytes: number; tmSyncMs: number; tmAsyncMs: number;
  triggerToAckMs: number; ackToCompleteMs: number; triggeredAfterRestoreMs: number; overlapped: boolean; cpu: CpuSample;
  checkpointFirst?: boolean;
}
interface SavepointSample { round: number; path: string; wallMs: number; jmMs: number; bytes: number; tmAsyncMs: number; cpu: CpuSample; checkpointFirst?: boolean }
interface RestoreSample { round: number; taskMs: number; cliToRestoredMs: number; cliToRunningTaskMs: number; cpu: CpuSample }

interface Backend {
  name: BackendName;
  cluster: MiniCluster;
  jm: Tail;
  tm: Tail;
  serverPid: () => number;
  jobId?: string;
  /** When the current job's state was restored (or filled), ms since the epoch. */
  readyAt: number;
  lastRestoreTaskMs: number;
  fresh?: { cliToOpenMs: number; fillMs: number };
  warmup?: { savepoint: SavepointSample; restore: RestoreSample };
  checkpoints: CheckpointSample[];
  savepoints: SavepointSample[];
  restores: RestoreSample[];
}

function cpuOf(b: Backend): CpuSample {
  const server = b.serverPid();
  return {
    tm: cpuMsOf(b.cluster.taskManagers[0]!.child.pid!),
    jm: cpuMsOf(b.cluster.jobManager.child.pid!),
    server: server > 0 ? cpuMsOf(server) : 0,
  };
}
const cpuDelta = (a: CpuSample, b: CpuSample): CpuSample => ({ tm: b.tm - a.tm, jm: b.jm - a.jm, server: b.server - a.server });

function jobArgs(checkpointMs: number, minPauseMs: number): string[] {
  return ['--keys', String(keys), '--payload', String(payloadBytes), '--checkpoint-ms', String(Math.round(checkpointMs)), '--min-pause-ms', String(minPauseMs)];
}

/** Fails fast with the job's failure when it is no longer running. */
async function assertRunning(b: Backend, what: string): Promise<void> {
  const s = await b.cluster.client.getJob(b.jobId!).catch(() => undefined);
  if (s && s.state !== 'RUNNING' && s.state !== 'CREATED') {
    throw new Error(`${LABEL[b.name]}: job ${b.jobId} is ${s.state} while waiting for ${what}: ${s.failure?.message ?? ''}`);
  }
}

async function waitFor<T>(b: Backend, what: string, probe: () => T | undefined | false, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastCheck = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${LABEL[b.name]}: timed out after ${timeoutMs} ms waiting for ${what}.`);
    if (b.jobId && Date.now() - lastCheck > 2000) { lastCheck = Date.now(); await assertRunning(b, what); }
    await sleep(everyMs);
  }
}

/** Submits the job (fresh or from a savepoint); resolves when the keyed function is open (state restored). */
async function start(b: Backend, savepoint: string | undefined, checkpointMs: number, minPauseMs = 3_600_000): Promise<{ restore: RestoreSample; openAt: number }> {
  const cpu0 = cpuOf(b);
  const since = Date.now();
  b.jobId = await b.cluster.submit(JOB, jobArgs(checkpointMs, minPauseMs), savepoint ? ['-s', savepoint] : []);
  const open = await waitFor(b, 'the keyed function to open (state restored)',
    () => b.tm.poll().events.find((e) => e.e === 'open' && e.t >= since), 10 * 60_000);
  const cpu1 = cpuOf(b);
  const running = b.tm.poll().records.filter((r) => r.jobId === b.jobId && /^Task state .* is running\.$/.test(r.msg)).map(timeOf);
  const taskRunningAt = running.length ? Math.min(...running) : Number.NaN;
  return {
    openAt: open.t,
    restore: {
      round: -1,
      taskMs: open.t - taskRunningAt,
      cliToRestoredMs: open.t - since,
      cliToRunningTaskMs: taskRunningAt - since,
      cpu: cpuDelta(cpu0, cpu1),
    },
  };
}

async function cancel(b: Backend): Promise<void> {
  const jobId = b.jobId!;
  await b.cluster.client.cancelJob(jobId);
  await b.cluster.waitForJob(jobId, (s) => s.state === 'CANCELED' || s.state === 'FAILED', 120_000);
  b.jobId = undefined;
}

/** Waits for the fresh job to hold every key's payload; returns when (TaskManager clock). */
async function waitForFill(b: Backend): Promise<number> {
  return waitFor(b, 'the state to fill', () => b.tm.poll().events.find((e) => e.e === 'fill' && e.n! >= keys)?.t, 20 * 60_000, 100);
}

async function savepoint(b: Backend, round: number): Promise<SavepointSample> {
  const cpu0 = cpuOf(b);
  const startedAt = Date.now();
  const t0 = performance.now();
  const path = await b.cluster.client.triggerSavepoint(b.jobId!, undefined);
  const wallMs = performance.now() - t0;
  const cpu1 = cpuOf(b);
  const done = await waitFor(b, 'the savepoint log line', () => b.jm.poll().records
    .filter((r) => r.kind === 'savepoint' && r.msg.startsWith('Completed savepoint') && timeOf(r) >= startedAt - 5).at(-1), 10_000);
  const id = Number(done.checkpointId);
  const ack = await waitFor(b, 'the TaskManager acknowledgement', () => b.tm.poll().records
    .filter((r) => r.msg === `Acknowledged checkpoint ${id}.` && Number(r.bytes) > 1000).at(-1), 10_000);
  return { round, path, wallMs, jmMs: Number(done.durationMs), bytes: Number(done.stateBytes), tmAsyncMs: Number(ack.asyncMs), cpu: cpuDelta(cpu0, cpu1) };
}

/** Waits for the current job's periodic checkpoint and reads its timings from the logs. */
async function checkpoint(b: Backend, round: number, submittedAt: number): Promise<CheckpointSample> {
  // CPU is sampled every poll (~20 ms); the samples just before the trigger and just after completion bound it.
  const trace: Array<{ t: number; cpu: CpuSample }> = [];
  const done = await waitFor(b, 'the periodic checkpoint', () => {
    trace.push({ t: Date.now(), cpu: cpuOf(b) });
    return b.jm.poll().records.find((r) =>
      r.kind === 'checkpoint' && r.msg.startsWith('Completed checkpoint') && r.msg.includes(b.jobId!) && timeOf(r) >= submittedAt);
  }, 10 * 60_000);
  trace.push({ t: Date.now(), cpu: cpuOf(b) });
  const id = Number(done.checkpointId);
  const trig = b.jm.records.find((r) => r.kind === 'checkpoint' && Number(r.checkpointId) === id && r.msg.startsWith('Triggering') && timeOf(r) >= submittedAt);
  const ack = await waitFor(b, 'the TaskManager acknowledgement', () => b.tm.poll().records
    .filter((r) => r.msg === `Acknowledged checkpoint ${id}.` && Number(r.bytes) > 1000 && timeOf(r) >= submittedAt).at(-1), 10_000);
  const completedAt = timeOf(done);
  const triggeredAt = trig ? timeOf(trig) : completedAt - Number(done.durationMs);
  const cpu0 = [...trace].reverse().find((x) => x.t <= triggeredAt)?.cpu ?? trace[0]!.cpu;
  const cpu1 = trace.find((x) => x.t >= completedAt)?.cpu ?? trace.at(-1)!.cpu;
  return {
    round, checkpointId: id, jmMs: Number(done.durationMs), bytes: Number(done.stateBytes),
    tmSyncMs: Number(ack.syncMs), tmAsyncMs: Number(ack.asyncMs),
    triggerToAckMs: timeOf(ack) - triggeredAt, ackToCompleteMs: completedAt - timeOf(ack),
    triggeredAfterRestoreMs: triggeredAt - b.readyAt, overlapped: triggeredAt < b.readyAt,
    cpu: cpuDelta(cpu0, cpu1),
  };
}

function intervalFor(b: Backend, savepointFirst: boolean): number {
  const lastSavepointMs = b.savepoints.at(-1)?.wallMs ?? b.warmup?.savepoint.wallMs ?? 0;
  return Math.max(minIntervalMs, 2 * b.lastRestoreTaskMs + 1000 + (savepointFirst ? 2 * lastSavepointMs : 0));
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '-');
const mbps = (bytes: number, ms: number) => (ms > 0 ? bytes / 1e6 / (ms / 1000) : Number.NaN);

async function main(): Promise<void> {
  const started = Date.now();
  say(`node ${process.version}; target ${(stateTarget / MiB).toFixed(0)} MiB of keyed state = ${keys} keys × ${payloadBytes} B payload, p1; `
    + `${rounds} rounds over ${backendNames.join(', ')}; load average ${loadAverage().join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-bench-storage-'));
  mkdirSync(join(dir, 'file-state'));
  const baseline = baselineRounds(3, 100_000);

  let s3: S3TestServer | undefined;
  let hdfs: WebHdfsTestServerProcess | undefined;
  const backends: Backend[] = [];
  const plain: Array<{ round: number; writeMs: number; readMs: number; bytes: number; v8WriteMs: number; v8ReadMs: number; v8Bytes: number }> = [];
  // The same entries as plain Maps (128, like key groups), for the v8 reference.
  const plainState = buildPlainState(keys, payloadBytes);
  const plainMaps = plainState.payloads as Map<string, unknown>[];
  try {
    if (backendNames.includes('s3')) s3 = await S3TestServer.start({ bucket: 'tsflink-bench' });
    if (backendNames.includes('hdfs')) hdfs = await WebHdfsTestServerProcess.start();
    for (const name of backendNames) {
      let config: Record<string, string>;
      let serverPid = () => -1;
      if (name === 'file') {
        config = {
          'execution.checkpointing.dir': `file://${join(dir, 'file-state', 'checkpoints')}`,
          'execution.checkpointing.savepoint-dir': `file://${join(dir, 'file-state', 'savepoints')}`,
        };
      } else if (name === 's3') {
        config = { ...s3!.flinkConfig, 'execution.checkpointing.dir': s3!.uri('flink/checkpoints'), 'execution.checkpointing.savepoint-dir': s3!.uri('flink/savepoints') };
        serverPid = () => s3!.pid;
      } else if (name === 'hdfs') {
        config = { ...hdfs!.flinkConfig, 'execution.checkpointing.dir': hdfs!.hdfsUri('/flink/checkpoints'), 'execution.checkpointing.savepoint-dir': hdfs!.hdfsUri('/flink/savepoints') };
        serverPid = () => hdfs!.pid;
      } else {
        throw new Error(`Unknown backend "${name as string}": use file, s3, hdfs.`);
      }
      const cluster = await MiniCluster.start({
        taskManagers: 1, slotsPerTaskManager: 1,
        config: { ...config, 'execution.checkpointing.timeout': '30 min' },
      });
      backends.push({
        name, cluster, jm: new Tail(cluster.jobManager), tm: new Tail(cluster.taskManagers[0]!), serverPid,
        readyAt: 0, lastRestoreTaskMs: 0, checkpoints: [], savepoints: [], restores: [],
      });
      say(`${LABEL[name]}: cluster up (${Object.entries(config).filter(([k]) => k.startsWith('execution')).map(([, v]) => v).join(', ')})`);
    }

    // Fill and warm up, one backend after the other.
    const lastSavepoint = new Map<BackendName, string>();
    for (const b of backends) {
      const fresh = await start(b, undefined, 3_600_000);
      const filledAt = await waitForFill(b);
      b.fresh = { cliToOpenMs: fresh.restore.cliToRestoredMs, fillMs: filledAt - fresh.openAt };
      const sp = await savepoint(b, -1);
      await cancel(b);
      const r = await start(b, sp.path, 3_600_000);
      await cancel(b);
      b.lastRestoreTaskMs = r.restore.taskMs;
      b.warmup = { savepoint: sp, restore: r.restore };
      lastSavepoint.set(b.name, sp.path);
      say(`${LABEL[b.name]}: filled ${keys} keys in ${b.fresh.fillMs} ms (fresh start: flink run → open ${b.fresh.cliToOpenMs} ms); `
        + `warm-up savepoint ${(sp.bytes / MiB).toFixed(1)} MiB in ${fmt(sp.wallMs)} ms, restore (task) ${fmt(r.restore.taskMs)} ms`);
    }
    const submittedAt = new Map<BackendName, number>();
    const startRestored = async (b: Backend, round: number) => {
      const at = Date.now();
      const sf = !checkpointFirst(round);
      // Savepoint first: min-pause 0, or the periodic checkpoint would wait an hour after the savepoint.
      const r = await start(b, lastSavepoint.get(b.name)!, intervalFor(b, sf), sf ? 0 : 3_600_000);
      submittedAt.set(b.name, at);
      b.readyAt = r.openAt;
      r.restore.round = round;
      return r.restore;
    };

    const bytesForPlain = () => median(backends.flatMap((b) => [...b.savepoints, b.warmup!.savepoint].map((s) => s.bytes)));
    for (let round = 0; round < rounds; round++) {
      const order = backends.map((_, i) => backends[(i + round) % backends.length]!);
      for (const b of order) {
        // Restore from the last savepoint, take the restored job's one periodic checkpoint, a savepoint, cancel:
        // all of it inside this backend's turn, so nothing overlaps another backend's measurement.
        const r = await startRestored(b, round);
        b.restores.push(r);
        let c: CheckpointSample;
        let sp: SavepointSample;
        if (checkpointFirst(round)) {
          c = await checkpoint(b, round, submittedAt.get(b.name)!);
          sp = await savepoint(b, round);
        } else {
          sp = await savepoint(b, round);
          b.readyAt = Date.now();
          c = await checkpoint(b, round, submittedAt.get(b.name)!);
        }
        c.checkpointFirst = sp.checkpointFirst = checkpointFirst(round);
        b.checkpoints.push(c);
        b.savepoints.push(sp);
        lastSavepoint.set(b.name, sp.path);
        await cancel(b);
        b.lastRestoreTaskMs = r.taskMs;
        say(`  round ${round + 1} ${LABEL[b.name]}: checkpoint ${c.jmMs} ms${c.overlapped ? ' (OVERLAPPED the restore)' : ''}, `
          + `savepoint ${fmt(sp.wallMs)} ms, restore (task) ${fmt(r.taskMs)} ms / (CLI → restored) ${fmt(r.cliToRestoredMs)} ms`);
      }
      const bytes = bytesForPlain();
      const io = plainFileIo(join(dir, 'plain-io.bin'), bytes);
      rmSync(join(dir, 'plain-io.bin'), { force: true });
      const w = plainSnapshot(join(dir, 'plain-v8.bin'), plainMaps);
      const r = plainRestore(join(dir, 'plain-v8.bin'), w.bytes);
      rmSync(join(dir, 'plain-v8.bin'), { force: true });
      plain.push({ round, ...io, bytes, v8WriteMs: w.ms, v8ReadMs: r.ms, v8Bytes: w.bytes });
      say(`  round ${round + 1} plain Node: write ${fmt(io.writeMs)} ms, read ${fmt(io.readMs)} ms (${(bytes / MiB).toFixed(1)} MiB); `
        + `v8.serialize Maps + write ${fmt(w.ms)} ms, read + deserialize ${fmt(r.ms)} ms; load average ${loadAverage().join(' ')}`);
    }
    for (const b of backends) if (b.jobId) await cancel(b);
  } finally {
    await Promise.all(backends.map((b) => b.cluster.close()));
    await s3?.stop();
    await hdfs?.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------ report
  const plainWrite = median(plain.map((p) => p.writeMs));
  const plainRead = median(plain.map((p) => p.readMs));
  const bytes = median(plain.map((p) => p.bytes));
  const v8Write = median(plain.map((p) => p.v8WriteMs));
  const v8Read = median(plain.map((p) => p.v8ReadMs));
  const m = (xs: number[]) => median(xs.filter(Number.isFinite));
  const summary = backends.map((b) => {
    const good = b.checkpoints.filter((c) => !c.overlapped);
    return {
      backend: b.name,
      checkpointMs: m(good.map((c) => c.jmMs)),
      checkpointTmAsyncMs: m(good.map((c) => c.tmAsyncMs)),
      checkpointTmSyncMs: m(good.map((c) => c.tmSyncMs)),
      checkpointTriggerToAckMs: m(good.map((c) => c.triggerToAckMs)),
      checkpointAckToCompleteMs: m(good.map((c) => c.ackToCompleteMs)),
      checkpointBytes: m(b.checkpoints.map((c) => c.bytes)),
      checkpointsOverlapped: b.checkpoints.length - good.length,
      savepointWallMs: m(b.savepoints.map((s) => s.wallMs)),
      savepointJmMs: m(b.savepoints.map((s) => s.jmMs)),
      restoreTaskMs: m(b.restores.map((r) => r.taskMs)),
      restoreCliMs: m(b.restores.map((r) => r.cliToRestoredMs)),
      freshCliToOpenMs: b.fresh!.cliToOpenMs,
      cpu: {
        checkpoint: { tm: m(good.map((c) => c.cpu.tm)), jm: m(good.map((c) => c.cpu.jm)), server: m(good.map((c) => c.cpu.server)) },
        savepoint: { tm: m(b.savepoints.map((c) => c.cpu.tm)), jm: m(b.savepoints.map((c) => c.cpu.jm)), server: m(b.savepoints.map((c) => c.cpu.server)) },
        restore: { tm: m(b.restores.map((c) => c.cpu.tm)), jm: m(b.restores.map((c) => c.cpu.jm)), server: m(b.restores.map((c) => c.cpu.server)) },
      },
    };
  });
  const file = summary.find((s) => s.backend === 'file');
  const rows: Array<Array<string | number>> = [];
  const add = (op: string, key: keyof typeof summary[number], writing: boolean) => {
    for (const s of summary) {
      const v = s[key] as number;
      rows.push([op, LABEL[s.backend], v, mbps(bytes, v), file ? ratio(v, file[key] as number) : '-',
        ratio(v, writing ? plainWrite : plainRead), ratio(v, writing ? v8Write : v8Read)]);
    }
  };
  add('(a) checkpoint trigger → complete (JM)', 'checkpointMs', true);
  add('    of which TM async upload', 'checkpointTmAsyncMs', true);
  add('(b) savepoint: triggerSavepoint wall', 'savepointWallMs', true);
  add('    savepoint trigger → complete (JM)', 'savepointJmMs', true);
  add('(c) restore: task running → restored', 'restoreTaskMs', false);
  add('    restore: flink run -s → restored', 'restoreCliMs', false);
  rows.push(['plain: write, 4 MiB chunks + fsync', 'local disk', plainWrite, mbps(bytes, plainWrite), '-', '1', ratio(plainWrite, v8Write)]);
  rows.push(['plain: v8.serialize Maps + write + fsync', 'local disk', v8Write, mbps(bytes, v8Write), '-', ratio(v8Write, plainWrite), '1']);
  rows.push(['plain: read back (page cache)', 'local disk', plainRead, mbps(bytes, plainRead), '-', '1', ratio(plainRead, v8Read)]);
  rows.push(['plain: read + v8.deserialize Maps', 'local disk', v8Read, mbps(bytes, v8Read), '-', ratio(v8Read, plainRead), '1']);
  say('');
  say(`${(bytes / MiB).toFixed(1)} MiB of state per snapshot; medians over ${rounds} interleaved rounds`);
  say(table(['operation', 'backend', 'ms (median)', 'MB/s', '÷ file://', '÷ plain write|read', '÷ plain v8+write|read+v8'], rows));
  say(table(['backend', 'ckpt TM sync ms', 'trigger → TM ack ms', 'TM ack → complete ms', 'fresh start: flink run → open ms',
    'CPU ms ckpt TM/JM/server', 'CPU ms savepoint TM/JM/server', 'CPU ms restore TM/JM/server', 'overlapped ckpts'],
  summary.map((s) => [LABEL[s.backend], s.checkpointTmSyncMs, s.checkpointTriggerToAckMs, s.checkpointAckToCompleteMs, s.freshCliToOpenMs,
    `${fmt(s.cpu.checkpoint.tm)}/${fmt(s.cpu.checkpoint.jm)}/${fmt(s.cpu.checkpoint.server)}`,
    `${fmt(s.cpu.savepoint.tm)}/${fmt(s.cpu.savepoint.jm)}/${fmt(s.cpu.savepoint.server)}`,
    `${fmt(s.cpu.restore.tm)}/${fmt(s.cpu.restore.jm)}/${fmt(s.cpu.restore.server)}`,
    String(s.checkpointsOverlapped)])));
  // The first snapshot after a restore costs more than the next one (see the header): split by position.
  say(table(['backend', 'snapshot', 'n', 'JM trigger → complete ms', 'TM async ms', 'TM CPU ms', 'server CPU ms'],
    backends.flatMap((b) => {
      const first = [...b.checkpoints.filter((c) => c.checkpointFirst && !c.overlapped), ...b.savepoints.filter((x) => !x.checkpointFirst)];
      const second = [...b.checkpoints.filter((c) => !c.checkpointFirst && !c.overlapped), ...b.savepoints.filter((x) => x.checkpointFirst)];
      return [['first after restore', first], ['second after restore', second]].map(([label, xs]) => {
        const list = xs as Array<CheckpointSample | SavepointSample>;
        return [LABEL[b.name], label as string, String(list.length), m(list.map((x) => x.jmMs)), m(list.map((x) => x.tmAsyncMs)),
          m(list.map((x) => x.cpu.tm)), m(list.map((x) => x.cpu.server))];
      });
    })));
  say(`plain loop ${(median(baseline.map((x) => x.wordsPerSecond)) / 1e6).toFixed(2)} M words/s this session; `
    + `${((Date.now() - started) / 1000).toFixed(0)} s in all; load average at the end ${loadAverage().join(' ')}`);
  const out = writeResults('storage', {
    command: `node --conditions=source --import tsx bench/storage.ts ${process.argv.slice(2).join(' ')}`.trim(),
    node: process.version, date: new Date().toISOString(), stateBytesTarget: stateTarget, keys, payloadBytes, rounds, order,
    minCheckpointIntervalMs: minIntervalMs, bytes, plain, plainWriteMs: plainWrite, plainReadMs: plainRead, v8WriteMs: v8Write, v8ReadMs: v8Read, summary,
    samples: backends.map((b) => ({ backend: b.name, fresh: b.fresh, warmup: b.warmup, checkpoints: b.checkpoints, savepoints: b.savepoints, restores: b.restores })),
    baseline, loadAverage: loadAverage(), elapsedMs: Date.now() - started,
  });
  say(`results: ${out}`);
}

await main();
