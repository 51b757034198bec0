import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT, writeJobFile } from '@tsflink/testing';
import { verifyOracleOutput } from '@tsflink/examples';
import { committedLines } from './cluster-support.js';

/** The oracle without externalized checkpoints: it runs with checkpoints kept in JobManager memory. */
const IN_MEMORY_ORACLE = writeJobFile('in-memory-oracle.ts', `
import { StreamExecutionEnvironment, WatermarkStrategy } from '@tsflink/api';
import { FileSink, RateLimiterStrategy } from '@tsflink/connectors';
import { KeyAlignedIndexSource, OracleCounter } from ${JSON.stringify(join(REPO_ROOT, 'packages/examples/src/checkpoint-oracle.ts'))};
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2);
  env.enableCheckpointing(250);
  env.fromSource(new KeyAlignedIndexSource(20000, 8, RateLimiterStrategy.perSecond(2000)), WatermarkStrategy.noWatermarks(), 'src').uid('src')
    .keyBy((i: number) => i % 8).flatMap(new OracleCounter(8)).uid('counter')
    .sinkTo(FileSink.forRowFormat<string>(args[0]!).build()).uid('sink');
  await env.execute('InMemoryOracle');
}
`);

let cluster: MiniCluster;
before(async () => { cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, config: { 'restart-strategy.fixed-delay.delay': '200 ms' } }); });
after(async () => cluster?.close());

test('without a checkpoint directory, externalized checkpoints are refused at submission, naming state.checkpoints.dir', async () => {
  const r = await cluster.runCli(['run', '-d', join(REPO_ROOT, 'packages/examples/src/stateful-mapper.ts')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'The job enables externalized checkpoints (RETAIN_ON_CANCELLATION), but no checkpoint directory is configured: set state.checkpoints.dir (execution.checkpointing.dir) in flink-conf.yaml.\n');
  assert.deepEqual(await cluster.client.listJobs(), []);
});

test('checkpoints kept in JobManager memory recover a killed TaskManager exactly once', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tsflink-memory-out-'));
  const jobId = await cluster.submit(IN_MEMORY_ORACLE, [out]);
  await cluster.waitForJob(jobId, (s) => s.state === 'RUNNING' && (s.lastCheckpointId ?? 0) > 0);
  const status = await cluster.client.getJob(jobId);
  assert.equal(status.lastCheckpointPath, undefined, 'no checkpoint directory');
  const busy = status.vertices.flatMap((v) => v.subtasks.map((t) => cluster.indexOfTaskManager(t.task_manager_id))).filter((i) => i >= 0);
  await cluster.killTaskManager(busy[0]!, 'SIGKILL');
  await cluster.startTaskManager();
  const final = await cluster.waitForJob(jobId, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 60_000);
  assert.equal(final.state, 'FINISHED', final.failure?.message);
  assert.ok(final.restarts >= 1);
  const lines = committedLines(out);
  const r = verifyOracleOutput(lines, 20000, 8);
  assert.deepEqual({ missing: r.missing.length, duplicated: r.duplicated.length, wrong: r.wrong.slice(0, 3) }, { missing: 0, duplicated: 0, wrong: [] });
});
