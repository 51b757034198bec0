import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MiniCluster, writeJobFile } from '@tsflink/testing';

const WORDS_JOB = `
import { StreamExecutionEnvironment } from '@tsflink/api';
const TEXT = ['to be or not to be', 'that is the question', 'whether tis nobler in the mind to suffer',
  'the slings and arrows of outrageous fortune', 'or to take arms against a sea of troubles'];
export default async function main(args: string[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const repeat = Number(args[0] ?? 200);
  const lines: string[] = [];
  for (let i = 0; i < repeat; i++) lines.push(...TEXT);
  env.fromElements(...lines).uid('lines')
    .rebalance()
    .flatMap((line: string, out) => { for (const w of line.split(' ')) out.collect([w, 1] as [string, number]); }).uid('split')
    .keyBy((t) => t[0])
    .sum(1).uid('count')
    .map((t: [string, number]) => \`\${t[0]}=\${t[1]}\`).uid('fmt')
    .print('wc');
  await env.execute('WordCount');
}
`;

function expectedCounts(repeat: number): Map<string, number> {
  const text = ['to be or not to be', 'that is the question', 'whether tis nobler in the mind to suffer',
    'the slings and arrows of outrageous fortune', 'or to take arms against a sea of troubles'];
  const m = new Map<string, number>();
  for (const line of text) for (const w of line.split(' ')) m.set(w, (m.get(w) ?? 0) + repeat);
  return m;
}

describe('distributed execution (1 JobManager + 2 TaskManagers with 2 slots, real processes)', () => {
  let cluster: MiniCluster;
  before(async () => { cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 }); });
  after(async () => cluster?.close());

  test('WordCount at p=2 across 2 TaskManagers gives exactly the expected counts; every key stays on one subtask', async () => {
    const job = writeJobFile('word-count.ts', WORDS_JOB);
    const r = await cluster.runCli(['run', '-p', '2', job, '200']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Job has been submitted with JobID [0-9a-f]{32}\nProgram execution finished\nJob with JobID [0-9a-f]{32} has finished\.\nJob Runtime: \d+ ms\n$/);
    const final = new Map<string, number>();
    const subtaskOfKey = new Map<string, string>();
    for (const line of cluster.printed()) {
      const m = /^wc:(\d)> (.+)=(\d+)$/.exec(line);
      if (!m) continue;
      const [, subtask, word, count] = m;
      final.set(word!, Math.max(final.get(word!) ?? 0, Number(count)));
      const seen = subtaskOfKey.get(word!);
      assert.ok(seen === undefined || seen === subtask, `key ${word} seen on subtasks ${seen} and ${subtask}`);
      subtaskOfKey.set(word!, subtask!);
    }
    assert.deepEqual(new Map([...final].sort()), new Map([...expectedCounts(200)].sort()));
    assert.deepEqual([...new Set(subtaskOfKey.values())].sort(), ['1', '2']);
    // The tasks were spread over both TaskManagers.
    const status = (await cluster.client.listJobs()).find((j) => j.name === 'WordCount')!;
    const tms = new Set(status.vertices.flatMap((v) => v.subtasks.map((s) => s.task_manager_id)));
    assert.equal(tms.size, 2);
  });

  test('an unbounded job is RUNNING in flink list and flink cancel cancels it with Flink\'s lines', async () => {
    const job = writeJobFile('endless.ts', `
      import { StreamExecutionEnvironment } from '@tsflink/api';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(0, Number.MAX_SAFE_INTEGER - 1).uid('seq').map((n: number) => n * 2).uid('double')
          .addSink({ invoke() {} }).uid('discard');
        await env.execute('Endless');
      }`);
    const jobId = await cluster.submit(job);
    await cluster.waitForJob(jobId, 'RUNNING');
    const list = await cluster.runCli(['list']);
    assert.match(list.stdout, new RegExp(`^Waiting for response...\\n------------------ Running/Restarting Jobs -------------------\\n\\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d:\\d\\d : ${jobId} : Endless \\(RUNNING\\)\\n--------------------------------------------------------------\\nNo scheduled jobs\\.\\n$`));
    const cancel = await cluster.runCli(['cancel', jobId]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(cancel.stdout, `Cancelling job ${jobId}.\nCancelled job ${jobId}.\n`);
    const final = await cluster.waitForJob(jobId, 'CANCELED');
    assert.ok(final.endTime! >= final.startTime);
    const all = await cluster.runCli(['list', '-a']);
    assert.match(all.stdout, new RegExp(`${jobId} : Endless \\(CANCELED\\)`));
    const overview = await cluster.client.clusterOverview();
    assert.equal(overview.slots_available, overview.slots_total);
  });

  test('a task that throws is restarted by the restart strategy and the job FAILS after the attempts, with the cause', async () => {
    const job = writeJobFile('failing.ts', `
      import { StreamExecutionEnvironment, RestartStrategies } from '@tsflink/api';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 100));
        env.fromSequence(1, 100).map((n: number) => { if (n === 50) throw new Error('boom at 50'); return n; }).print();
        await env.execute('Failing');
      }`);
    const r = await cluster.runCli(['run', job]);
    assert.equal(r.code, 1);
    // The stateful source has no uid: the CLI warns before submitting.
    assert.match(r.stderr, /^Warning: Operator "Source: Sequence Source" \(id [0-9a-f]{32}\) keeps state but has no uid/);
    assert.match(r.stderr, /\nJob [0-9a-f]{32} failed: boom at 50\n$/);
    const status = (await cluster.client.listJobs()).find((j) => j.name === 'Failing')!;
    assert.equal(status.state, 'FAILED');
    assert.equal(status.restarts, 2);
    assert.equal(status.failure?.message, 'boom at 50');
    await cluster.jobManager.waitForLine(/Job [0-9a-f]{32} failed: boom at 50/);
  });

  test('a job needing more slots than free waits (CREATED) and starts when a TaskManager arrives', async () => {
    const job = writeJobFile('wide.ts', `
      import { StreamExecutionEnvironment } from '@tsflink/api';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 1000).setParallelism(1).rebalance().map((n: number) => n).setParallelism(6).addSink({ invoke() {} });
        await env.execute('Wide');
      }`);
    const jobId = await cluster.submit(job);
    const waiting = await cluster.waitForJob(jobId, (s) => s.state === 'CREATED' && !!s.waitingReason);
    assert.match(waiting.waitingReason!, /needs 6, the cluster has 4 free of 4/);
    assert.match((await cluster.runCli(['list', '-s'])).stdout, new RegExp(`----------------------- Scheduled Jobs -----------------------\\n.* : ${jobId} : Wide \\(CREATED\\)`));
    await cluster.startTaskManager();
    await cluster.waitForJob(jobId, 'FINISHED');
    await cluster.killTaskManager(2, 'SIGTERM');
  });

  test('a job whose main builds another plan on the TaskManager fails with a clear error', async () => {
    const job = writeJobFile('unstable.ts', `
      import { StreamExecutionEnvironment } from '@tsflink/api';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        let s = env.fromSequence(1, 10);
        if (process.argv[1]?.includes('cli')) s = s.map((n: number) => n + 1);
        s.filter(() => true).print();
        await env.execute('Unstable');
      }`);
    const r = await cluster.runCli(['run', job]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not produce the submitted plan on this TaskManager: operator [0-9a-f]{32} \(.*\) is missing/);
  });
});
