import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, writeJobFile } from '@tsflink/testing';

/**
 * A keyed counter with enough keys that its state goes into files (above the 20 KB
 * inline threshold). Args: retention mode, number of keys, records per second, fail-after (0 = never).
 */
const COUNTER_JOB = writeJobFile('counter.ts', `
import { StreamExecutionEnvironment, ExternalizedCheckpointCleanup, RichFlatMapFunction, ValueStateDescriptor } from '@tsflink/api';
import type { Collector, ValueState, RuntimeContext } from '@tsflink/api';
import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';
import { WatermarkStrategy } from '@tsflink/api';

class Counter extends RichFlatMapFunction<number, string> {
  private count!: ValueState<number>;
  constructor(private readonly failAfter: number) { super(); }
  override open(ctx: RuntimeContext) { this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0)); }
  flatMap(n: number, out: Collector<string>) {
    if (this.failAfter > 0 && n === this.failAfter) throw new Error('planned failure at ' + n);
    const c = this.count.value() + 1;
    this.count.update(c);
    if (n % 997 === 0) out.collect(n + ':' + c);
  }
}

export default async function main(args: string[]) {
  const [mode, keys, rate, failAfter] = [args[0] ?? 'RETAIN_ON_CANCELLATION', Number(args[1] ?? 20000), Number(args[2] ?? 20000), Number(args[3] ?? 0)];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(200);
  env.getCheckpointConfig().enableExternalizedCheckpoints(mode as never);
  env.fromSource(new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, RateLimiterStrategy.perSecond(rate)), WatermarkStrategy.noWatermarks(), 'numbers').uid('numbers')
    .keyBy((n: number) => n % keys)
    .flatMap(new Counter(failAfter)).uid('counter')
    .print();
  await env.execute('Counter');
}
`);

/** Completed checkpoints whose state went into files (not inlined): both retained ones. */
function fileBackedCheckpoints(base: string, jobId: string): string[] {
  return checkpointsOf(base, jobId).filter((c) => {
    try { const f = readdirSync(join(base, jobId, c)); return f.includes('_metadata') && f.some((x) => x.startsWith('op-')); } catch { return false; }
  });
}

function checkpointsOf(base: string, jobId: string): string[] {
  const dir = join(base, jobId);
  return existsSync(dir) ? readdirSync(dir).filter((d) => d.startsWith('chk-')).sort() : [];
}

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('retained (externalized) checkpoints, real processes', () => {
  let cluster: MiniCluster;
  const base = mkdtempSync(join(tmpdir(), 'tsflink-retained-'));
  const checkpoints = join(base, 'checkpoints');
  before(async () => {
    cluster = await MiniCluster.start({
      taskManagers: 2, slotsPerTaskManager: 2,
      config: {
        'state.checkpoints.dir': `file://${checkpoints}`,
        'state.checkpoints.num-retained': 2,
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 3,
        'restart-strategy.fixed-delay.delay': '200 ms',
      },
    });
  });
  after(async () => cluster?.close());

  test('RETAIN_ON_CANCELLATION keeps chk-<n> with its files on cancel, and run -s <chk dir> resumes from it', async () => {
    const jobId = await cluster.submit(COUNTER_JOB, ['RETAIN_ON_CANCELLATION'], ['-p', '2']);
    await waitFor('two retained checkpoints with state files', () => fileBackedCheckpoints(checkpoints, jobId).length >= 2);
    const r = await cluster.runCli(['cancel', jobId]);
    assert.equal(r.code, 0, r.stderr);
    await cluster.waitForJob(jobId, 'CANCELED');
    const kept = checkpointsOf(checkpoints, jobId);
    assert.equal(kept.length, 2, `num-retained 2, found ${kept}`);
    const latest = kept.sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))).pop()!;
    const dir = join(checkpoints, jobId, latest);
    const files = readdirSync(dir);
    assert.ok(files.includes('_metadata'));
    assert.ok(files.some((f) => f.startsWith('op-')), `state files beside _metadata: ${files}`);
    assert.ok(existsSync(join(checkpoints, jobId, 'shared')) && existsSync(join(checkpoints, jobId, 'taskowned')));

    // Resume from the directory; counts continue (a printed count of n is above what a fresh start gives).
    const resumed = await cluster.submit(COUNTER_JOB, ['RETAIN_ON_CANCELLATION'], ['-p', '2', '-s', dir]);
    await cluster.waitForJob(resumed, 'RUNNING');
    const restoredId = Number(latest.slice(4));
    await cluster.jobManager.waitForLine(new RegExp(`Reset the checkpoint ID of job ${resumed} to ${restoredId + 1}\\.`));
    await waitFor('a checkpoint of the resumed job numbered after the restored one', () => checkpointsOf(checkpoints, resumed).some((c) => Number(c.slice(4)) > restoredId));
    // Also with the _metadata file as the path.
    await cluster.runCli(['cancel', resumed]);
    await cluster.waitForJob(resumed, 'CANCELED');
    const again = await cluster.submit(COUNTER_JOB, ['RETAIN_ON_CANCELLATION'], ['-s', join(dir, '_metadata')]);
    await cluster.waitForJob(again, 'RUNNING');
    await cluster.runCli(['cancel', again]);
    await cluster.waitForJob(again, 'CANCELED');
  });

  test('the default (NO_EXTERNALIZED_CHECKPOINTS) and DELETE_ON_CANCELLATION delete checkpoints on cancel', async () => {
    for (const mode of ['NO_EXTERNALIZED_CHECKPOINTS', 'DELETE_ON_CANCELLATION']) {
      const jobId = await cluster.submit(COUNTER_JOB, [mode]);
      await waitFor('a checkpoint', () => checkpointsOf(checkpoints, jobId).length >= 1);
      await cluster.runCli(['cancel', jobId]);
      await cluster.waitForJob(jobId, 'CANCELED');
      await waitFor(`${mode}: checkpoints deleted`, () => !existsSync(join(checkpoints, jobId)), 10_000);
    }
  });

  test('DELETE_ON_CANCELLATION keeps the checkpoint when the job FAILS', async () => {
    // Fails at record 40 000 (about 2 s), after checkpoints completed, and again after every restart.
    const jobId = await cluster.submit(COUNTER_JOB, ['DELETE_ON_CANCELLATION', '3000', '20000', '40000']);
    const final = await cluster.waitForJob(jobId, (s) => s.state === 'FAILED', 60_000);
    assert.match(final.failure!.message, /planned failure at 40000/);
    assert.ok(checkpointsOf(checkpoints, jobId).length >= 1, 'the checkpoint of a FAILED job is kept');
  });

  test('a job that FINISHES deletes its checkpoints', async () => {
    const job = writeJobFile('bounded.ts', `
      import { StreamExecutionEnvironment, ExternalizedCheckpointCleanup, WatermarkStrategy } from '@tsflink/api';
      import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(100);
        env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
        env.fromSource(new DataGeneratorSource((i: number) => i, 3000, RateLimiterStrategy.perSecond(2000)), WatermarkStrategy.noWatermarks(), 'n').uid('n')
          .keyBy((n: number) => n % 10).reduce((a: number, b: number) => a + b).uid('sum').addSink({ invoke() {} });
        await env.execute('Bounded');
      }`);
    const jobId = await cluster.submit(job);
    await waitFor('a checkpoint', () => checkpointsOf(checkpoints, jobId).length >= 1);
    await cluster.waitForJob(jobId, 'FINISHED');
    await waitFor('checkpoints deleted after FINISHED', () => !existsSync(join(checkpoints, jobId)), 10_000);
  });

  /**
   * Runs the counter job until two file-backed checkpoints are retained, freezes the TaskManagers
   * (SIGSTOP: no new checkpoint completes), damages the newest checkpoint's directory, then SIGKILLs
   * one TaskManager, resumes the others and starts a replacement: the recovery must read the damage.
   */
  async function damageNewestCheckpointThenKill(damage: (newestDir: string) => void): Promise<{ jobId: string; status: Awaited<ReturnType<MiniCluster['client']['getJob']>> }> {
    const jobId = await cluster.submit(COUNTER_JOB, ['RETAIN_ON_CANCELLATION'], ['-p', '2']);
    await waitFor('two retained checkpoints with state files', () => fileBackedCheckpoints(checkpoints, jobId).length >= 2);
    for (const tm of cluster.taskManagers) tm.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 300));
    const status = await cluster.client.getJob(jobId);
    damage(status.lastCheckpointPath!.replace(/^file:/, ''));
    await cluster.killTaskManager(0, 'SIGKILL'); // while stopped: no checkpoint can complete in between
    for (const tm of cluster.taskManagers) tm.child.kill('SIGCONT');
    await cluster.startTaskManager();
    return { jobId, status };
  }

  test('a damaged newest checkpoint is skipped on recovery: truncated → previous checkpoint, with a log line', async () => {
    let stateFile = '';
    const { jobId, status } = await damageNewestCheckpointThenKill((newest) => {
      stateFile = readdirSync(newest).find((f) => f.startsWith('op-'))!;
      truncateSync(join(newest, stateFile), Math.floor(statSync(join(newest, stateFile)).size / 2));
    });
    const line = await cluster.jobManager.waitForLine(new RegExp(`Checkpoint ${status.lastCheckpointId} of job ${jobId} is damaged \\(the state file .*${stateFile} is truncated`), 30_000);
    assert.match(line, /falling back to checkpoint \d+/);
    await cluster.waitForJob(jobId, (s) => s.state === 'RUNNING' && s.restarts >= 1);
    await cluster.runCli(['cancel', jobId]);
    await cluster.waitForJob(jobId, 'CANCELED');
  });

  test('a corrupt state file (same size, bytes flipped) is caught by its checksum on restore, and recovery falls back', async () => {
    const { jobId, status } = await damageNewestCheckpointThenKill((newest) => {
      for (const f of readdirSync(newest).filter((x) => x.startsWith('op-'))) {
        const bytes = readFileSync(join(newest, f));
        for (let i = 64; i < bytes.length; i += 97) bytes[i] = bytes[i]! ^ 0x5a;
        writeFileSync(join(newest, f), bytes);
      }
    });
    await cluster.jobManager.waitForLine(new RegExp(`Checkpoint ${status.lastCheckpointId} could not be restored \\(.*op-`), 30_000);
    await cluster.waitForJob(jobId, (s) => s.state === 'RUNNING' && s.restarts >= 2, 30_000);
    await cluster.runCli(['cancel', jobId]);
    await cluster.waitForJob(jobId, 'CANCELED');
  });

  test('flink run -s with a missing path, a directory without metadata, or a corrupt _metadata fails with a clear message', async () => {
    const missing = join(base, 'nope');
    let r = await cluster.runCli(['run', '-d', '-s', missing, COUNTER_JOB]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Cannot find checkpoint or savepoint file/directory '${missing}' on file system 'file'\\.`));
    const empty = mkdtempSync(join(base, 'empty-'));
    r = await cluster.runCli(['run', '-d', '-s', empty, COUNTER_JOB]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Cannot find meta data file '_metadata' in directory '${empty}'\\.`));
    writeFileSync(join(empty, '_metadata'), 'not metadata at all');
    r = await cluster.runCli(['run', '-d', '-s', empty, COUNTER_JOB]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a tsflink checkpoint or savepoint metadata file\./);
    assert.equal(readFileSync(join(empty, '_metadata'), 'utf8'), 'not metadata at all', 'nothing was touched');
  });
});
