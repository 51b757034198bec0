import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, REPO_ROOT, writeJobFile } from '@tsflink/testing';
import { verifyOracleOutput } from '@tsflink/examples';
import { committedLines as committed, pollUntil } from './cluster-support.js';

/**
 * The oracle job in versions a user might deploy one after another. Args: N, rate,
 * parallelism, keys, output dir, version. v1 = the original; v2 adds a stateless
 * operator without uid between counter and sink and changes the chaining; v3 drops
 * the counter (a stateful operator) from the program.
 */
const VERSIONED_ORACLE = writeJobFile('versioned-oracle.ts', `
import { StreamExecutionEnvironment, CheckpointingMode, ExternalizedCheckpointCleanup, WatermarkStrategy } from '@tsflink/api';
import { FileSink, RateLimiterStrategy } from '@tsflink/connectors';
import { KeyAlignedIndexSource, OracleCounter } from ${JSON.stringify(join(REPO_ROOT, 'packages/examples/src/checkpoint-oracle.ts'))};

export default async function main(args: string[]) {
  const [n, rate, parallelism, keys, out, version] = [Number(args[0]), Number(args[1]), Number(args[2]), Number(args[3]), args[4]!, args[5] ?? 'v1'];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(parallelism);
  env.enableCheckpointing(300, CheckpointingMode.EXACTLY_ONCE);
  env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  const source = env.fromSource(new KeyAlignedIndexSource(n, keys, rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp()), WatermarkStrategy.noWatermarks(), 'oracle-source').uid('oracle-source');
  let lines;
  if (version === 'v4' || version === 'v5') {
    // v4: the counter has no uid (its id comes from the graph position); v5 changes the topology
    // before it, so only setUidHash(<the old id>, args[6]) maps its state back.
    const keyed = (version === 'v5' ? source.rebalance().map((i: number) => i).setParallelism(1) : source).keyBy((i: number) => i % keys);
    const counter = keyed.flatMap(new OracleCounter(keys));
    lines = version === 'v5' ? counter.setUidHash(args[6]!) : counter;
  } else if (version === 'v3') {
    lines = source.map((i: number) => i + ',' + (i % keys) + ',0');
  } else {
    lines = source.keyBy((i: number) => i % keys).flatMap(new OracleCounter(keys)).uid('oracle-counter');
    if (version === 'v2') lines = lines.map((s: string) => s.trim()).startNewChain().filter((s: string) => s.length > 0);
  }
  lines.sinkTo(FileSink.forRowFormat<string>(out).build()).uid('oracle-sink');
  await env.execute('VersionedOracle');
}
`);

const SAVEPOINT_LINE = /^Savepoint completed\. Path: (file:\/\S+)$/m;

describe('savepoints: the seed workflow end to end through the CLI (real processes)', () => {
  let cluster: MiniCluster;
  const base = mkdtempSync(join(tmpdir(), 'tsflink-savepoints-'));
  const savepoints = join(base, 'savepoints');
  before(async () => {
    cluster = await MiniCluster.start({
      taskManagers: 2, slotsPerTaskManager: 3,
      config: { 'state.checkpoints.dir': `file://${base}/checkpoints`, 'state.savepoints.dir': `file://${savepoints}` },
    });
  });
  after(async () => cluster?.close());

  test('run → savepoint → cancel -s → change the job and rescale 2→3 → move+rename → stop → 3→1 → every key continues exactly', async () => {
    // Slow enough that no run ends before the test stops it, whatever the machine's load; the last run is unthrottled.
    const n = 200_000;
    const k = 12;
    const out = join(base, 'out');
    const args = (p: number, version: string, rate = '400') => [String(n), rate, String(p), String(k), out, version];

    const first = await cluster.submit(VERSIONED_ORACLE, args(2, 'v1'));
    await cluster.waitForJob(first, 'RUNNING');
    await new Promise((r) => setTimeout(r, 1500));

    const sp = await cluster.runCli(['savepoint', first]);
    assert.equal(sp.code, 0, sp.stderr);
    assert.match(sp.stdout, new RegExp(`^Triggering savepoint for job ${first}\\.\\nWaiting for response\\.\\.\\.\\nSavepoint completed\\. Path: file:${savepoints}/savepoint-${first.slice(0, 6)}-[0-9a-f]{12}\\nYou can resume your program from this savepoint with the run command\\.\\n$`));

    const cancel = await cluster.runCli(['cancel', '-s', first]);
    assert.equal(cancel.code, 0, cancel.stderr);
    const m = new RegExp(`^Cancelling job ${first} with savepoint to default savepoint directory\\.\\nCancelled job ${first}\\. Savepoint stored in (file:${savepoints}/savepoint-${first.slice(0, 6)}-[0-9a-f]{12})\\.\\n$`).exec(cancel.stdout);
    assert.ok(m, cancel.stdout);
    assert.equal((await cluster.client.getJob(first)).state, 'CANCELED');

    // Move the savepoint elsewhere and rename it: it is self-contained with relative paths.
    const moved = join(base, 'elsewhere', 'my-renamed-savepoint');
    mkdirSync(join(base, 'elsewhere'));
    renameSync(m[1]!.slice('file:'.length), moved);

    const second = await cluster.submit(VERSIONED_ORACLE, args(3, 'v2'), ['-s', moved]);
    await cluster.waitForJob(second, 'RUNNING');
    await new Promise((r) => setTimeout(r, 1000));
    const stop = await cluster.runCli(['stop', second]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`^Suspending job "${second}" with a savepoint\\.\\nSavepoint completed\\. Path: file:${savepoints}/savepoint-[0-9a-f]{6}-[0-9a-f]{12}\\n$`));
    const stopPath = SAVEPOINT_LINE.exec(stop.stdout)![1]!;
    assert.equal((await cluster.waitForJob(second, 'FINISHED')).state, 'FINISHED');

    const third = await cluster.submit(VERSIONED_ORACLE, args(1, 'v2', '0'), ['-s', stopPath]);
    const final = await cluster.waitForJob(third, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);

    const result = verifyOracleOutput(committed(out), n, k);
    assert.deepEqual({ missing: result.missing.length, duplicated: result.duplicated.length, wrong: result.wrong.slice(0, 3), malformed: result.malformed.slice(0, 3) },
      { missing: 0, duplicated: 0, wrong: [], malformed: [] });
  });

  test('resuming an older savepoint at lower parallelism (3 → 2) replaces the output committed after it: still exactly once', async () => {
    const n = 200_000;
    const k = 12;
    const out = join(base, 'out-older');
    const first = await cluster.submit(VERSIONED_ORACLE, [String(n), '600', '3', String(k), out, 'v1']);
    await cluster.waitForJob(first, 'RUNNING');
    await pollUntil(() => committed(out).length > 0 || undefined, () => 'output committed by a checkpoint');
    const sp = await cluster.runCli(['savepoint', first]);
    assert.equal(sp.code, 0, sp.stderr);
    const older = SAVEPOINT_LINE.exec(sp.stdout)![1]!;
    // The job runs on: every subtask commits more output after the savepoint before it is cancelled.
    const atSavepoint = committed(out).length;
    await pollUntil(() => committed(out).length > atSavepoint + 600 || undefined, () => 'output committed after the savepoint');
    assert.equal((await cluster.runCli(['cancel', first])).code, 0);

    const resumed = await cluster.submit(VERSIONED_ORACLE, [String(n), '0', '2', String(k), out, 'v1'], ['-s', older]);
    const final = await cluster.waitForJob(resumed, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 90_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);
    const result = verifyOracleOutput(committed(out), n, k);
    assert.deepEqual({ missing: result.missing.length, duplicated: result.duplicated.length, wrong: result.wrong.slice(0, 3) },
      { missing: 0, duplicated: 0, wrong: [] });
  });

  test('removing a stateful operator gets Flink\'s error; -n drops its state and runs; --dry-run shows the mapping; --inspect shows the state', async () => {
    const out = join(base, 'out-n');
    const job = await cluster.submit(VERSIONED_ORACLE, ['100000', '2000', '2', '8', out, 'v1']);
    await cluster.waitForJob(job, 'RUNNING');
    await new Promise((r) => setTimeout(r, 800));
    const cancel = await cluster.runCli(['cancel', '-s', savepoints, job]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, new RegExp(`^Cancelling job ${job} with savepoint to ${savepoints}\\.\\n`));
    const path = /Savepoint stored in (file:\S+)\.\n$/.exec(cancel.stdout)![1]!;

    const inspect = await cluster.runCli(['savepoint', '--inspect', path]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.match(inspect.stdout, /^Savepoint \d+ of job [0-9a-f]{32} \(VersionedOracle\)\n/);
    assert.match(inspect.stdout, /uid "oracle-counter"/);
    assert.match(inspect.stdout, /states: count \(value\)/);
    assert.match(inspect.stdout, /subtask 1: key groups 64-127/);
    const json = JSON.parse((await cluster.runCli(['savepoint', '--inspect', path, '--json'])).stdout);
    assert.equal(json.kind, 'savepoint');
    assert.deepEqual(json.operators.map((o: { uid: string }) => o.uid).filter(Boolean).sort(), ['oracle-counter', 'oracle-sink', 'oracle-source']);

    const dry = await cluster.runCli(['run', '--dry-run', '-s', path, VERSIONED_ORACLE, '100000', '2000', '3', '8', out, 'v3']);
    assert.equal(dry.code, 1);
    assert.match(dry.stdout, /NOT_RESTORABLE\s+uid "oracle-counter"/);
    assert.match(dry.stdout, /RESTORED\s+uid "oracle-source".*p 2 -> 3/);
    assert.match(dry.stderr, /Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} to the new program/);
    assert.equal((await cluster.client.listJobs()).length, (await cluster.client.listJobs()).length);

    const refused = await cluster.runCli(['run', '-d', '-s', path, VERSIONED_ORACLE, '100000', '2000', '2', '8', out, 'v3']);
    assert.equal(refused.code, 1);
    const counterId = json.operators.find((o: { uid: string }) => o.uid === 'oracle-counter').operator_id;
    assert.equal(refused.stderr, `Failed to rollback to checkpoint/savepoint ${path}. Cannot map checkpoint/savepoint state for operator ${counterId} to the new program, because the operator is not available in the new program. If you want to allow to skip this, you can set the --allowNonRestoredState option on the CLI.\n`);

    const dryN = await cluster.runCli(['run', '--dry-run', '-n', '-s', path, VERSIONED_ORACLE, '100000', '2000', '2', '8', out, 'v3']);
    assert.equal(dryN.code, 0, dryN.stderr);
    assert.match(dryN.stdout, /DROPPED\s+uid "oracle-counter"/);
    assert.match(dryN.stdout, /Nothing was started\.$/m);

    const skipped = await cluster.submit(VERSIONED_ORACLE, ['100000', '2000', '2', '8', out, 'v3'], ['-n', '-s', path]);
    await cluster.waitForJob(skipped, 'RUNNING');
    await cluster.jobManager.waitForLine(new RegExp(`Skipping state of operator ${counterId} \\(uid .*oracle-counter`));
    await cluster.runCli(['cancel', skipped]);
    await cluster.waitForJob(skipped, 'CANCELED');
  });

  test('setUidHash maps the state of an operator that had no uid onto a changed program', async () => {
    const out = join(base, 'out-hash');
    const n = 100_000;
    const k = 6;
    const first = await cluster.submit(VERSIONED_ORACLE, [String(n), '500', '2', String(k), out, 'v4']);
    await cluster.waitForJob(first, 'RUNNING');
    await new Promise((r) => setTimeout(r, 1200));
    const cancel = await cluster.runCli(['cancel', '-s', first]);
    const path = /Savepoint stored in (file:\S+)\.\n$/.exec(cancel.stdout)![1]!;
    const info = JSON.parse((await cluster.runCli(['savepoint', '--inspect', path, '--json'])).stdout);
    const counter = info.operators.find((o: { uid: string; states: Array<{ name: string }> }) => !o.uid && o.states.some((s) => s.name === 'count'));
    assert.ok(counter, 'the uid-less counter is in the savepoint');
    // Without the hash the changed program cannot take the counter's state...
    const refused = await cluster.runCli(['run', '-d', '-s', path, VERSIONED_ORACLE, String(n), '500', '2', String(k), out, 'v5', 'f'.repeat(32)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`operator ${counter.operator_id} to the new program`));
    // ...with setUidHash(old id) it does, and every count continues exactly.
    const second = await cluster.submit(VERSIONED_ORACLE, [String(n), '0', '2', String(k), out, 'v5', counter.operator_id], ['-s', path]);
    const final = await cluster.waitForJob(second, (s) => s.state === 'FINISHED' || s.state === 'FAILED', 60_000);
    assert.equal(final.state, 'FINISHED', final.failure?.message);
    const result = verifyOracleOutput(committed(out), n, k);
    assert.deepEqual({ missing: result.missing.length, duplicated: result.duplicated.length, wrong: result.wrong.slice(0, 3) }, { missing: 0, duplicated: 0, wrong: [] });
  });

  test('stop --drain drains and finishes the job with a savepoint', async () => {
    const job = await cluster.submit(VERSIONED_ORACLE, ['1000000', '2000', '2', '4', join(base, 'out-drain'), 'v1']);
    await cluster.waitForJob(job, 'RUNNING');
    await new Promise((r) => setTimeout(r, 700));
    const r = await cluster.runCli(['stop', '--drain', job]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Draining job "${job}" with a savepoint\\.\\nSavepoint completed\\. Path: file:${savepoints}/savepoint-${job.slice(0, 6)}-[0-9a-f]{12}\\n$`));
    assert.equal((await cluster.client.getJob(job)).state, 'FINISHED');
    const path = SAVEPOINT_LINE.exec(r.stdout)![1]!;
    assert.ok(existsSync(join(path.slice('file:'.length), '_metadata')));
  });

  test('dispose removes a savepoint and refuses anything else, leaving it untouched', async () => {
    const job = await cluster.submit(VERSIONED_ORACLE, ['100000', '2000', '1', '4', join(base, 'out-d'), 'v1']);
    await cluster.waitForJob(job, 'RUNNING');
    await new Promise((r) => setTimeout(r, 700));
    const sp = SAVEPOINT_LINE.exec((await cluster.runCli(['savepoint', job])).stdout)![1]!;
    await cluster.runCli(['cancel', job]);
    // A retained checkpoint (RETAIN_ON_CANCELLATION keeps it) is not a savepoint.
    const status = await cluster.waitForJob(job, 'CANCELED');
    const chk = status.lastCheckpointPath!;
    const refused = await cluster.runCli(['savepoint', '-d', chk]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is a checkpoint, not a savepoint; only savepoints can be disposed\./);
    assert.ok(existsSync(join(chk.slice('file:'.length), '_metadata')));
    const plain = mkdtempSync(join(base, 'plain-'));
    writeFileSync(join(plain, 'data.txt'), 'keep me');
    const refused2 = await cluster.runCli(['savepoint', '-d', plain]);
    assert.equal(refused2.code, 1);
    assert.match(refused2.stderr, /Cannot find meta data file '_metadata' in directory/);
    assert.equal(readFileSync(join(plain, 'data.txt'), 'utf8'), 'keep me');

    const disposed = await cluster.runCli(['savepoint', '-d', sp]);
    assert.equal(disposed.code, 0, disposed.stderr);
    assert.equal(disposed.stdout, `Disposing savepoint '${sp}'.\nWaiting for response...\nSavepoint '${sp}' disposed.\n`);
    assert.equal(existsSync(sp.slice('file:'.length)), false);
  });

  test('savepoint errors: unknown and malformed job ids, checkpointing disabled, a truncated state file', async () => {
    const unknown = await cluster.runCli(['savepoint', 'fd72014d4c864993a2e5a9287b4a9c5d']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Could not find Flink job (fd72014d4c864993a2e5a9287b4a9c5d)\n');
    const malformed = await cluster.runCli(['savepoint', '1234']);
    assert.equal(malformed.code, 1);
    assert.equal(malformed.stderr, 'Cannot parse JobID from "1234". The expected format is [0-9a-fA-F]{32}, e.g. fd72014d4c864993a2e5a9287b4a9c5d.\n');

    const noCheckpoints = writeJobFile('plain.ts', `
      import { StreamExecutionEnvironment } from '@tsflink/api';
      export default async function main() {
        const env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(0, Number.MAX_SAFE_INTEGER - 1).uid('seq').addSink({ invoke() {} }).uid('sink');
        await env.execute('NoCheckpoints');
      }`);
    const job = await cluster.submit(noCheckpoints);
    await cluster.waitForJob(job, 'RUNNING');
    const disabled = await cluster.runCli(['savepoint', job]);
    assert.equal(disabled.code, 1);
    assert.equal(disabled.stderr, 'Checkpointing disabled. You can enable it via the execution environment of your job\n');
    assert.equal((await cluster.client.getJob(job)).state, 'RUNNING', 'a failed savepoint leaves the job running');
    await cluster.runCli(['cancel', job]);

    // A savepoint whose state file was truncated is refused at submission, naming the file.
    const big = await cluster.submit(VERSIONED_ORACLE, ['2000000', '20000', '1', '20000', join(base, 'out-t'), 'v1']);
    await cluster.waitForJob(big, 'RUNNING');
    await new Promise((r) => setTimeout(r, 1500));
    const cancelled = await cluster.runCli(['cancel', '-s', big]);
    const sp = /Savepoint stored in (file:\S+)\.\n$/.exec(cancelled.stdout)?.[1];
    assert.ok(sp, cancelled.stdout + cancelled.stderr);
    const dir = sp.slice('file:'.length);
    const stateFile = readdirSync(dir).find((f) => f.startsWith('op-'));
    assert.ok(stateFile, `state above the inline threshold is in a file: ${readdirSync(dir)}`);
    truncateSync(join(dir, stateFile), Math.floor(statSync(join(dir, stateFile)).size / 3));
    const r = await cluster.runCli(['run', '-d', '-s', sp, VERSIONED_ORACLE, '2000000', '20000', '1', '20000', join(base, 'out-t'), 'v1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Cannot restore from ${sp}: the state file file://${dir}/${stateFile} is truncated`));
    assert.ok(existsSync(join(dir, '_metadata')), 'nothing was deleted');
  });
});
