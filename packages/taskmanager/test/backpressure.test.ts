import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MiniCluster, writeJobFile } from '@tsflink/testing';

/** Resident memory of a process in MiB (from /proc). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

let cluster: MiniCluster;
before(async () => { cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 1 }); });
after(async () => cluster?.close());

test('a slow sink slows an unthrottled source down instead of growing memory (across TaskManagers)', async () => {
  // The source could produce millions of 200-byte records per second; the sink takes ~10 K/s.
  const job = writeJobFile('backpressure.ts', `
    import { StreamExecutionEnvironment, WatermarkStrategy } from '@tsflink/api';
    import { DataGeneratorSource } from '@tsflink/connectors';
    export default async function main() {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSource(new DataGeneratorSource((i: number) => 'x'.repeat(200) + i, Number.MAX_SAFE_INTEGER), WatermarkStrategy.noWatermarks(), 'fast').uid('fast')
        .rebalance()
        .addSink({ n: 0, invoke() { if (++this.n % 50 === 0) return new Promise<void>((r) => setTimeout(r, 5)); } }).uid('slow');
      await env.execute('BackPressure');
    }`);
  const jobId = await cluster.submit(job, [], ['-p', '2']);
  await cluster.waitForJob(jobId, 'RUNNING');
  const pids = cluster.taskManagers.map((tm) => tm.pid);
  await new Promise((r) => setTimeout(r, 3000));
  const early = pids.map(rssMiB);
  await new Promise((r) => setTimeout(r, 8000));
  const late = pids.map(rssMiB);
  assert.equal((await cluster.client.getJob(jobId)).state, "RUNNING");
  for (let i = 0; i < pids.length; i++) {
    assert.ok(late[i]! < 400, `TaskManager ${i} uses ${late[i]!.toFixed(0)} MiB`);
    assert.ok(late[i]! - early[i]! < 64, `TaskManager ${i} grew from ${early[i]!.toFixed(0)} to ${late[i]!.toFixed(0)} MiB in 8 s`);
  }
  await cluster.runCli(['cancel', jobId]);
  await cluster.waitForJob(jobId, 'CANCELED');
});
