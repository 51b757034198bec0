import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT } from '@tsflink/testing';

const JOB = join(REPO_ROOT, 'packages/examples/src/windowed-counts.ts');

let cluster: MiniCluster;
before(async () => { cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2, config: { 'execution.checkpointing.dir': `file://${mkdtempSync(join(tmpdir(), 'tsflink-win-chk-'))}` } }); });
after(async () => cluster?.close());

test('event-time windowed counts over out-of-order input equal the expected counts exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-win-'));
  // 20 000 events over 200 s of event time, shuffled within 3 s (less than the 5 s out-of-orderness).
  const lines: string[] = [];
  const expected = new Map<string, number>();
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  for (let i = 0; i < 20_000; i++) {
    const key = `k${i % 7}`;
    const ts = Math.max(0, i * 10 - Math.floor(rnd() * 3000));
    lines.push(`${key},${ts}`);
    const start = Math.floor(ts / 10_000) * 10_000;
    const w = `${key},${start},${start + 10_000}`;
    expected.set(w, (expected.get(w) ?? 0) + 1);
  }
  writeFileSync(join(dir, 'events.csv'), lines.join('\n') + '\n');
  const out = join(dir, 'out');
  const r = await cluster.runCli(['run', '-p', '2', JOB, join(dir, 'events.csv'), out]);
  assert.equal(r.code, 0, r.stderr);
  const got = new Map<string, number>();
  for (const f of readdirSync(out).filter((x) => x.startsWith('part-'))) {
    for (const line of readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean)) {
      const parts = line.split(',');
      const w = parts.slice(0, 3).join(',');
      assert.equal(got.has(w), false, `window ${w} emitted twice`);
      got.set(w, Number(parts[3]));
    }
  }
  assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
  assert.equal(cluster.printed().filter((l) => l.startsWith('late')).length, 0);
});

test('stop --drain fires every open window before the savepoint; stop without --drain leaves them in the savepoint', async () => {
  const { writeJobFile } = await import('@tsflink/testing');
  const job = writeJobFile('drain.ts', `
    import { StreamExecutionEnvironment, WatermarkStrategy, TumblingEventTimeWindows } from '@tsflink/api';
    import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';
    export default async function main() {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.enableCheckpointing(500);
      // Event time = index × 10 ms: one 10-minute window stays open for the whole test.
      env.fromSource(new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, RateLimiterStrategy.perSecond(500)),
          WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((i) => i * 10), 'n').uid('n')
        .keyBy((i: number) => i % 3)
        .window(TumblingEventTimeWindows.of(600_000))
        .reduce((a: number, b: number) => a + b).uid('sum')
        .map((s: number) => 'window-sum ' + s).uid('fmt')
        .print();
      await env.execute('Drain');
    }`);
  const sp = mkdtempSync(join(tmpdir(), 'tsflink-drain-sp-'));
  const plain = await cluster.submit(job);
  await cluster.waitForJob(plain, 'RUNNING');
  await new Promise((r) => setTimeout(r, 800));
  const stop = await cluster.runCli(['stop', '-p', sp, plain]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(cluster.printed().filter((l) => l.includes('window-sum')).length, 0, 'without --drain no window fires');

  const drained = await cluster.submit(job);
  await cluster.waitForJob(drained, 'RUNNING');
  await new Promise((r) => setTimeout(r, 800));
  const drain = await cluster.runCli(['stop', '--drain', '-p', sp, drained]);
  assert.equal(drain.code, 0, drain.stderr);
  assert.match(drain.stdout, /^Draining job /);
  const sums = cluster.printed().filter((l) => l.includes('window-sum'));
  assert.equal(sums.length, 3, `one fired window per key: ${sums.join(' | ')}`);
});
