import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiniCluster, runNode, CLI_ENTRY, REPO_ROOT, freePort } from '@tsflink/testing';

/** An empty configuration directory: defaults only. */
const emptyConfDir = () => mkdtempSync(join(tmpdir(), 'tsflink-emptyconf-'));

describe('flink CLI against a real JobManager', () => {
  let cluster: MiniCluster;
  before(async () => { cluster = await MiniCluster.start({ taskManagers: 1 }); });
  after(async () => cluster?.close());

  test('list with no jobs prints Flink\'s lines', async () => {
    const r = await cluster.runCli(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Waiting for response...\nNo running jobs.\nNo scheduled jobs.\n');
  });

  test('list -r and -s show one section each; -a shows both', async () => {
    assert.equal((await cluster.runCli(['list', '-r'])).stdout, 'Waiting for response...\nNo running jobs.\n');
    assert.equal((await cluster.runCli(['list', '-s'])).stdout, 'Waiting for response...\nNo scheduled jobs.\n');
    assert.equal((await cluster.runCli(['list', '-a'])).stdout, 'Waiting for response...\nNo running jobs.\nNo scheduled jobs.\n');
  });

  test('a malformed job id gets Flink\'s message and exit code 1', async () => {
    for (const args of [['cancel', 'not-a-job'], ['savepoint', 'not-a-job'], ['stop', 'not-a-job']]) {
      const r = await cluster.runCli(args);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Cannot parse JobID from "not-a-job". The expected format is [0-9a-fA-F]{32}, e.g. fd72014d4c864993a2e5a9287b4a9c5d.\n');
    }
  });

  test('an unknown job id gets "Could not find Flink job"', async () => {
    const id = 'fd72014d4c864993a2e5a9287b4a9c5d';
    const r = await cluster.runCli(['cancel', id]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `Cancelling job ${id}.\n`);
    assert.equal(r.stderr, `Could not find Flink job (${id})\n`);
  });

  test('cancel without a job id says what is missing', async () => {
    const r = await cluster.runCli(['cancel']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Missing JobID. Specify a Job ID to cancel a job.\n');
  });

  test('-m reaches the JobManager given on the command line, and -D overrides configuration', async () => {
    const env = { ...process.env, FLINK_CONF_DIR: emptyConfDir() };
    const r = await runNode([CLI_ENTRY, 'list', '-m', cluster.jobManagerAddress], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No running jobs\./);
    const r2 = await runNode([CLI_ENTRY, 'list', '-D', `jobmanager.rpc.port=${cluster.rpcPort}`], env);
    assert.equal(r2.code, 0, r2.stderr);
  });
});

describe('flink CLI without a cluster', () => {
  const env = { ...process.env, FLINK_CONF_DIR: emptyConfDir() };

  test('an unreachable JobManager is one sentence naming the address', async () => {
    const port = await freePort();
    const r = await runNode([CLI_ENTRY, 'list', '-m', `localhost:${port}`], env);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, new RegExp(`^Could not connect to the JobManager at localhost:${port} \\(connection refused\\)\\.`));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('an invalid action and a missing action are refused with exit code 1', async () => {
    const bad = await runNode([CLI_ENTRY, 'frobnicate'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^"frobnicate" is not a valid action\.\nValid actions are "run", "list", "info", "savepoint", "stop", or "cancel"\./);
    const none = await runNode([CLI_ENTRY], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^Please specify an action\./);
  });

  test('an unknown option is named; -h and -v work', async () => {
    const r = await runNode([CLI_ENTRY, 'list', '--bogus'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unknown option '--bogus'/);
    const v = await runNode([CLI_ENTRY, '-v'], env);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^Version: \d+\.\d+\.\d+/);
    const h = await runNode([CLI_ENTRY, '-h'], env);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Action "savepoint"/);
  });

  test('info prints the plan: vertices, chains, operator ids, uids and parallelism, without a cluster', async () => {
    const r = await runNode([CLI_ENTRY, 'info', '-p', '2', join(REPO_ROOT, 'packages/examples/src/stateful-mapper.ts')], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Job "CheckpointExample"\n/);
    assert.match(r.stdout, /Vertex 1: Source: numbers .*\(parallelism 2, max parallelism 128\)/);
    assert.match(r.stdout, /id [0-9a-f]{32}  uid "stateful-mapper"  stateful/);
    assert.match(r.stdout, /Source: numbers \(vertex 1\) -> vertex 2: HASH/);
  });

  test('a bad -m address is refused', async () => {
    const r = await runNode([CLI_ENTRY, 'list', '-m', 'nonsense'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The JobManager address "nonsense" is not valid/);
  });
});
