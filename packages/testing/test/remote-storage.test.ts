import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultFileSystemRegistry, type FileSystem } from '@tsflink/fs';
import { loadConfiguration } from '@tsflink/core';
import { MiniCluster, REPO_ROOT, S3TestServer, WebHdfsTestServer, writeJobFile } from '@tsflink/testing';
import { verifyOracleOutput } from '../../examples/src/checkpoint-oracle.js';
import { committedLines as committed } from '../../examples/test/cluster-support.js';

const ORACLE = join(REPO_ROOT, 'packages/examples/src/checkpoint-oracle.ts');

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Backend {
  name: string;
  /** Base URI of the state directories. */
  base: string;
  config: Record<string, string>;
  /** Makes the storage unreachable, then reachable again. */
  outage(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

async function s3Backend(): Promise<Backend> {
  const s3 = await S3TestServer.start({ bucket: 'flink' });
  return {
    name: 's3', base: 's3://flink/state', config: s3.flinkConfig,
    outage: async (down) => { if (down) await s3.kill(); else await s3.restart(); },
    stop: () => s3.stop(),
  };
}

async function hdfsBackend(): Promise<Backend> {
  const hdfs = await WebHdfsTestServer.start();
  return {
    name: 'hdfs', base: hdfs.hdfsUri('/flink/state'), config: hdfs.flinkConfig,
    outage: (down) => hdfs.namenodeDown(down),
    stop: () => hdfs.stop(),
  };
}

for (const makeBackend of [s3Backend, hdfsBackend]) {
  describe(`shared state on ${makeBackend === s3Backend ? 's3://' : 'hdfs://'} (real processes, real HTTP)`, () => {
    let backend: Backend;
    let cluster: MiniCluster;
    let fs: FileSystem;
    const local = mkdtempSync(join(tmpdir(), 'tsflink-remote-'));
    before(async () => {
      backend = await makeBackend();
      cluster = await MiniCluster.start({
        taskManagers: 3, slotsPerTaskManager: 2,
        config: {
          ...backend.config,
          'state.checkpoints.dir': `${backend.base}/checkpoints`,
          'state.savepoints.dir': `${backend.base}/savepoints`,
          'restart-strategy.type': 'fixed-delay',
          'restart-strategy.fixed-delay.delay': '300 ms',
          'execution.checkpointing.tolerable-failed-checkpoints': 1000,
        },
      });
      fs = await createDefaultFileSystemRegistry(loadConfiguration({ dynamicProperties: Object.entries(backend.config).map(([k, v]) => `${k}=${v}`) }).config).get(backend.base);
    });
    after(async () => { await cluster?.close(); await backend?.stop(); });

    test('the oracle survives TaskManager SIGKILLs with exactly-once output', async () => {
      const out = join(local, 'oracle');
      // ≈ 17 s of input: long enough for checkpoints on a slow store before each kill, whatever the load.
      const jobId = await cluster.submit(ORACLE, ['20000', '1200', '2', '8', out, '300']);
      await cluster.waitForJob(jobId, 'RUNNING');
      for (let i = 0; i < 2; i++) {
        await eventually('a completed checkpoint', async () => {
          const s = await cluster.client.getJob(jobId);
          return s.lastCheckpointId || s.state === 'FINISHED';
        });
        await new Promise((r) => setTimeout(r, 600));
        const status = await cluster.client.getJob(jobId);
        if (status.state === 'FINISHED') break;
        const busy = status.vertices.flatMap((v) => v.subtasks.map((t) => cluster.indexOfTaskManager(t.task_manager_id))).filter((x) => x >= 0);
        await cluster.killTaskManager(busy[0] ?? 0, 'SIGKILL');
        await cluster.startTaskManager();
      }
      const final = await cluster.waitForJob(jobId, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 120_000);
      assert.equal(final.state, 'FINISHED', final.failure?.message);
      assert.ok(final.restarts >= 1, 'a kill hit the running job');
      const r = verifyOracleOutput(committed(out), 20000, 8);
      assert.deepEqual({ missing: r.missing.length, duplicated: r.duplicated.length, wrong: r.wrong.slice(0, 3) }, { missing: 0, duplicated: 0, wrong: [] });
    });

    test('savepoint → cancel → rescale 2→3 → resume, retention and dispose work as on file://', async () => {
      const out = join(local, 'rescale');
      // 60 s of input at 1000/s: the job surely still runs when it is cancelled, however slow the store; the resumed run is unthrottled.
      const first = await cluster.submit(ORACLE, ['60000', '1000', '2', '8', out, '300']);
      await cluster.waitForJob(first, 'RUNNING');
      await eventually('a completed checkpoint', async () => (await cluster.client.getJob(first)).lastCheckpointId);
      const cancel = await cluster.runCli(['cancel', '-s', first]);
      assert.equal(cancel.code, 0, cancel.stderr);
      const savepoint = /Savepoint stored in (\S+)\.\n$/.exec(cancel.stdout)![1]!;
      assert.ok(savepoint.startsWith(`${backend.base}/savepoints/savepoint-${first.slice(0, 6)}-`), savepoint);
      assert.ok(await fs.exists(`${savepoint}/_metadata`));
      // RETAIN_ON_CANCELLATION: the last checkpoint stays on the remote store.
      const jobDir = `${backend.base}/checkpoints/${first}`;
      const kept = (await fs.list(jobDir)).map((s) => s.path.split('/').pop()!).filter((n) => n.startsWith('chk-'));
      assert.equal(kept.length, 1, `retained: ${kept}`);

      const second = await cluster.submit(ORACLE, ['60000', '0', '3', '8', out, '300'], ['-s', savepoint]);
      const final = await cluster.waitForJob(second, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
      assert.equal(final.state, 'FINISHED', final.failure?.message);
      const r = verifyOracleOutput(committed(out), 60000, 8);
      assert.deepEqual({ missing: r.missing.length, duplicated: r.duplicated.length, wrong: r.wrong.slice(0, 3) }, { missing: 0, duplicated: 0, wrong: [] });
      // FINISHED deletes the job's checkpoints; the savepoint is never touched by the system.
      await eventually('checkpoints of the finished job deleted', async () => !(await fs.exists(`${backend.base}/checkpoints/${second}`)));
      assert.ok(await fs.exists(`${savepoint}/_metadata`));

      const dispose = await cluster.runCli(['savepoint', '-d', savepoint]);
      assert.equal(dispose.code, 0, dispose.stderr);
      assert.equal(await fs.exists(`${savepoint}/_metadata`), false);
    });

    test('a storage outage mid-run declines checkpoints, the job keeps running, checkpoints resume afterwards', async () => {
      const job = writeJobFile('steady.ts', `
        import { StreamExecutionEnvironment, WatermarkStrategy } from '@tsflink/api';
        import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';
        export default async function main() {
          const env = StreamExecutionEnvironment.getExecutionEnvironment();
          env.enableCheckpointing(300);
          env.fromSource(new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, RateLimiterStrategy.perSecond(5000)), WatermarkStrategy.noWatermarks(), 'n').uid('n')
            .keyBy((n: number) => n % 50000).reduce((a: number, b: number) => a + b).uid('sum').addSink({ invoke() {} }).uid('sink');
          await env.execute('Steady');
        }`);
      const jobId = await cluster.submit(job);
      await cluster.waitForJob(jobId, 'RUNNING');
      await eventually('a completed checkpoint', async () => (await cluster.client.getJob(jobId)).lastCheckpointId);
      await backend.outage(true);
      await cluster.jobManager.waitForLine(new RegExp(`Checkpoint \\d+ of job ${jobId} failed`), 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      const during = await cluster.client.getJob(jobId);
      assert.equal(during.state, 'RUNNING');
      assert.equal(during.restarts, 0, 'an unreachable store does not restart the job');
      await backend.outage(false);
      const resumed = await eventually('a checkpoint completed after the outage', async () => {
        const s = await cluster.client.getJob(jobId);
        return s.lastCheckpointId! > during.lastCheckpointId! ? s : undefined;
      }, 60_000);
      assert.equal(resumed.state, 'RUNNING');
      await cluster.runCli(['cancel', jobId]);
      await cluster.waitForJob(jobId, 'CANCELED');
    });

    test('a missing restore path on the remote store is a clear error naming it', async () => {
      const missing = `${backend.base}/savepoints/savepoint-000000-000000000000`;
      const r = await cluster.runCli(['run', '-d', '-s', missing, ORACLE, '100', '100', '1', '2', join(local, 'x'), '300']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`Cannot find checkpoint or savepoint file/directory '${missing}' on file system '${backend.base.split(':')[0]}'\\.`));
    });
  });
}

describe('storage configuration errors', () => {
  let cluster: MiniCluster;
  before(async () => { cluster = await MiniCluster.start({ taskManagers: 1, config: { 'state.checkpoints.dir': `file://${mkdtempSync(join(tmpdir(), 'tsflink-cfg-'))}` } }); });
  after(async () => cluster?.close());

  test('an unknown scheme and a missing bucket are named', async () => {
    const unknown = await cluster.runCli(['run', '-d', '-s', 'gs://bucket/savepoint', ORACLE, '100', '100', '1', '2', tmpdir(), '300']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Could not find a file system implementation for scheme 'gs'/);
    const s3 = await S3TestServer.start({ bucket: 'exists' });
    try {
      const fs = await createDefaultFileSystemRegistry(s3.configuration()).get('s3://nope/x');
      await assert.rejects(fs.readFile('s3://nope/x/_metadata'), /bucket 'nope' does not exist/i);
    } finally {
      await s3.stop();
    }
  });
});
