/**
 * CPU profile of the TaskManager(s) while the benchmark job runs: starts a
 * MiniCluster whose TaskManagers load bench/cpu-profile-hook.mjs (node refuses
 * --cpu-prof in NODE_OPTIONS, so the hook drives the inspector's profiler),
 * submits bench/jobs/keyed-count.ts with the given job arguments, and prints
 * the self-time summary of each TaskManager's profile (bench/profile-summary.ts)
 * over the measured seconds only: a TaskManager idles while it starts and waits for
 * the job (≈ 1 s, which alone showed as 8 % "(idle)" of a 13 s profile).
 *
 *   node --conditions=source --import tsx bench/profile-taskmanager.ts
 *     [--parallelism 1] [--seconds 8] [--top 25] [--out /tmp/tsflink-profiles] -- <job args, e.g. --checkpoint-ms 100>
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiniCluster } from '../packages/testing/src/mini-cluster.js';
import { JOB_FILE, benchEvents, measureRate, numberFlag, say, sleep, stringFlag, waitUntil } from './cluster-bench.js';
import { summarizeProfile } from './profile-summary.js';

const parallelism = numberFlag('parallelism', 1);
const seconds = numberFlag('seconds', 8);
const top = numberFlag('top', 25);
const outDir = stringFlag('out', '/tmp/tsflink-profiles');
const dashDash = process.argv.indexOf('--');
const jobArgs = dashDash >= 0 ? process.argv.slice(dashDash + 1) : [];
const WARMUP_MS = 3000;

/** The clock V8 stamps profile samples with, in microseconds. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

rmSync(outDir, { recursive: true, force: true });
/** The measured seconds, the only part of the profiles summarized. */
const window = { fromUs: 0, toUs: 0 };
const cluster = await MiniCluster.start({ taskManagers: 0, slotsPerTaskManager: 1, config: { 'execution.checkpointing.dir': `file://${join(outDir, 'checkpoints')}` } });
try {
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('./cpu-profile-hook.mjs', import.meta.url).pathname}`.trim(),
    BENCH_CPU_PROFILE_DIR: outDir,
    BENCH_CPU_PROFILE_START_MS: '0',
    BENCH_CPU_PROFILE_MS: '0',
  });
  for (let i = 0; i < parallelism; i++) await cluster.startTaskManager();
  for (const k of ['NODE_OPTIONS', 'BENCH_CPU_PROFILE_DIR', 'BENCH_CPU_PROFILE_START_MS', 'BENCH_CPU_PROFILE_MS']) {
    if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
  await cluster.waitForTaskManagers(parallelism);
  const submitted = Date.now();
  const jobId = await cluster.submit(JOB_FILE, jobArgs, ['-p', String(parallelism)]);
  await waitUntil('first records', () => benchEvents(cluster.taskManagers).filter((e) => e.e === 'first' && e.t >= submitted).length >= parallelism, 60_000);
  await sleep(WARMUP_MS);
  const from = Date.now();
  window.fromUs = monotonicMicros();
  await sleep(seconds * 1000);
  window.toUs = monotonicMicros();
  const to = Date.now();
  await sleep(700);
  const rate = measureRate(benchEvents(cluster.taskManagers), from, to);
  say(`job args: ${jobArgs.join(' ') || '(none)'}; p${parallelism}; ${(rate.recordsPerSecond / 1e6).toFixed(3)} M records/s while profiled`);
  await cluster.client.cancelJob(jobId).catch(() => {});
  // A graceful stop (SIGTERM) lets the hook write the profile on exit.
  await Promise.all(cluster.taskManagers.map((tm) => tm.kill('SIGTERM')));
} finally {
  await cluster.close();
}

for (const file of readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile'))) {
  const s = summarizeProfile(join(outDir, file), top, window);
  say(`\n${file}: ${s.totalMs.toFixed(0)} ms sampled while measured`);
  say('self % | function');
  for (const f of s.byFunction) say(`${f.selfPct.toFixed(1).padStart(6)} | ${f.name}`);
}
