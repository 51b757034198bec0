/**
 * Helpers of the process-level tests in this folder (not a test file itself):
 * committed FileSink output, seeded randomness, and TaskManager kills at chosen
 * moments of a running job.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniCluster } from '@tsflink/testing';
import { verifyEventTimeOracleOutput } from '@tsflink/examples';

/** Committed FileSink output: every line of every finished part file (in-progress files start with '.'). */
export function committedLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.startsWith('part-')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
}

/** A cluster for crash tests: a spare TaskManager's worth of slots, quick fixed-delay restarts, checkpoints under `base`. */
export function startCrashTestCluster(base: string): Promise<MiniCluster> {
  return MiniCluster.start({
    taskManagers: 3,
    slotsPerTaskManager: 2,
    config: {
      'execution.checkpointing.dir': `file://${base}/checkpoints`,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '200 ms',
    },
  });
}

/** A small deterministic PRNG, so a failing run can be repeated from its seed. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; throws `describe()` after the timeout. */
export async function pollUntil<T>(probe: () => T | undefined | Promise<T | undefined>, describe: () => string, timeoutMs = 60_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The path in a `Savepoint completed. Path: …` (stop) or `Savepoint stored in …` (cancel -s) line. */
export function savepointPathOf(cliStdout: string): string {
  const m = /(?:Savepoint completed\. Path: |Savepoint stored in )(file:\/\S+?)\.?$/m.exec(cliStdout);
  if (!m) throw new Error(`No savepoint path in: ${cliStdout}`);
  return m[1]!;
}

/** Waits until the job runs with every subtask RUNNING (so a kill hits a live execution); throws if it ended first. */
export async function waitForAllSubtasksRunning(cluster: MiniCluster, jobId: string): Promise<void> {
  const status = await cluster.waitForJob(jobId, (s) => ['FINISHED', 'FAILED', 'CANCELED'].includes(s.state) || (s.state === 'RUNNING'
    && s.vertices.every((v) => v.subtasks.length === v.parallelism && v.subtasks.every((t) => t.state === 'TASK_RUNNING'))));
  if (status.state !== 'RUNNING') throw new Error(`Job ${jobId} ended ${status.state} before the test was done with it.`);
}

/**
 * Resolves with the first JobManager log line, written after this call, that
 * says a checkpoint of the job was triggered or completed.
 */
export function nextCheckpointEvent(cluster: MiniCluster, jobId: string, event: 'Triggering' | 'Completed', timeoutMs = 30_000): Promise<string> {
  const jm = cluster.jobManager;
  const re = event === 'Triggering' ? new RegExp(`Triggering checkpoint \\d+ of job ${jobId}`) : new RegExp(`Completed checkpoint \\d+ for job ${jobId}`);
  let from = jm.lines.length;
  return pollUntil(() => {
    const line = jm.lines.slice(from).find((l) => re.test(l));
    from = jm.lines.length;
    return line;
  }, () => `no "${event} checkpoint" line for job ${jobId}`, timeoutMs, 2);
}

/** SIGKILLs a TaskManager that runs subtasks of the job (picked with `rnd`) and starts a replacement. */
export async function killTaskManagerOfJob(cluster: MiniCluster, jobId: string, rnd: () => number): Promise<void> {
  const status = await cluster.client.getJob(jobId);
  const busy = [...new Set(status.vertices.flatMap((v) => v.subtasks.map((t) => t.task_manager_id)))]
    .map((id) => cluster.indexOfTaskManager(id)).filter((i) => i >= 0);
  if (busy.length === 0) throw new Error(`No TaskManager runs a subtask of job ${jobId}.`);
  await cluster.killTaskManager(busy[Math.floor(rnd() * busy.length)]!, 'SIGKILL');
  await cluster.startTaskManager();
}

/** The committed output of the event-time oracle is exactly the failure-free one: no late record, none missing, no duplicate. */
export function assertEventTimeOracleOutput(out: string, n: number, keys: number): void {
  const lines = committedLines(out);
  const result = verifyEventTimeOracleOutput(lines, n, keys);
  assert.deepEqual({ late: lines.filter((l) => l.startsWith('late,')).slice(0, 5), missing: result.missing.slice(0, 5), unexpected: result.unexpected.slice(0, 5) },
    { late: [], missing: [], unexpected: [] });
  assert.equal(result.ok, true);
}
