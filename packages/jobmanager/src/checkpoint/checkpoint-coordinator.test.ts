import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, ManualTimerService, createSilentLogger } from '@tsflink/core';
import { FileSystemRegistry } from '@tsflink/fs';
import type { JobGraph__Output, JobManagerMessage } from '@tsflink/proto';
import { CheckpointCoordinator, type CheckpointableExecution } from './checkpoint-coordinator.js';
import { CheckpointStorage } from './checkpoint-storage.js';
import type { CheckpointSettings } from './checkpoint-settings.js';

const JOB = 'fd72014d4c864993a2e5a9287b4a9c5d';
const graph = {
  job_name: 'T', max_parallelism: 0, warnings: [], edges: [],
  vertices: [{ id: 'v1', name: 'Source', parallelism: 2, max_parallelism: 128, is_source: true,
    operators: [{ id: 'a'.repeat(32), uid: 'src', name: 'Source', kind: 'source', stateful: true, chained_outputs: [], output_edges: [] }] }],
} as unknown as JobGraph__Output;

/** A coordinator driven by a manual clock and timers; tasks are two attempts on two TaskManagers. */
function setup(overrides: Partial<CheckpointSettings> = {}, checkpointsDir?: string) {
  const clock = new ManualClock(1000);
  const timers = new ManualTimerService(clock);
  const sent: Array<{ tm: string; message: JobManagerMessage }> = [];
  const failures: Error[] = [];
  let running = true;
  const execution: CheckpointableExecution = {
    sourcesByTaskManager: new Map([['tm1', ['att1']], ['tm2', ['att2']]]),
    attemptsByTaskManager: new Map([['tm1', ['att1']], ['tm2', ['att2']]]),
    attempt: (id) => ({ vertexId: 'v1', subtaskIndex: id === 'att1' ? 0 : 1 }),
  };
  const settings: CheckpointSettings = {
    intervalMs: 100, exactlyOnce: true, timeoutMs: 1000, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 0,
    retention: 'NO_EXTERNALIZED_CHECKPOINTS', numRetained: 1, checkpointsDir, savepointsDir: undefined, ...overrides,
  };
  const coordinator = new CheckpointCoordinator({
    jobId: JOB, graph, settings, clock, timers, logger: createSilentLogger(),
    storage: new CheckpointStorage(new FileSystemRegistry(), JOB, checkpointsDir),
    execution: () => (running ? execution : undefined),
    send: (tm, message) => sent.push({ tm, message }),
    failJob: (e) => failures.push(e),
  });
  const triggers = () => sent.filter((s) => s.message.trigger_checkpoint).map((s) => Number(s.message.trigger_checkpoint!.checkpoint_id));
  const ack = (attempt: string, id: number, subtask: number) => coordinator.receiveAcknowledge({
    job_id: JOB, attempt_id: attempt, checkpoint_id: id,
    state: { operators: [{ operator_id: 'a'.repeat(32), subtask_index: subtask, state_size: 3, keyed: null, operator: { format_version: 1, states: [{ name: '_source_splits', mode: 'SPLIT_DISTRIBUTE', element_offsets: [0] }], data: { path: '', offset: 0, length: 3, crc32: 7, inline_data: Buffer.from([1, 2, 3]) } } }] },
    metrics: null,
  } as never);
  const decline = (id: number) => coordinator.receiveDecline({ job_id: JOB, attempt_id: 'att1', checkpoint_id: id, reason: { name: 'Error', message: 'disk full', stack: '' } } as never);
  return { clock, timers, coordinator, sent, failures, triggers, ack, decline, stopRunning: () => { running = false; } };
}

/** Lets queued promise callbacks run (no time passes). */
const settle = () => new Promise((r) => setImmediate(r));

/** Waits (event-loop turns, no timers) until background file deletions are visible. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await settle();
}

test('periodic triggers reach every source TaskManager, one checkpoint at a time, ids increasing', async () => {
  const t = setup();
  t.coordinator.startPeriodic();
  t.timers.advance(99);
  assert.deepEqual(t.triggers(), []);
  t.timers.advance(1);
  await settle();
  assert.deepEqual(t.triggers(), [1, 1]);
  t.timers.advance(100); // checkpoint 1 still pending: max-concurrent 1 holds the next one back
  await settle();
  assert.deepEqual(t.triggers(), [1, 1]);
  t.ack('att1', 1, 0);
  t.ack('att2', 1, 1);
  await settle();
  assert.equal(t.coordinator.store.latest()?.checkpointId, 1);
  t.timers.advance(100);
  await settle();
  assert.deepEqual(t.triggers(), [1, 1, 2, 2]);
});

test('a checkpoint completes only when every task acknowledged; then tasks are notified; late acks are ignored', async () => {
  const t = setup();
  const done = t.coordinator.triggerCheckpoint();
  await settle();
  t.ack('att1', 1, 0);
  t.ack('att1', 1, 0); // duplicate
  await settle();
  assert.equal(t.coordinator.store.latest(), undefined);
  t.ack('att2', 1, 1);
  const completed = await done;
  assert.equal(completed.checkpointId, 1);
  assert.deepEqual(completed.metadata.operators[0]!.subtasks.map((s) => s.subtaskIndex), [0, 1]);
  assert.equal(t.sent.filter((s) => s.message.notify_checkpoint_complete).length, 2);
  t.ack('att2', 1, 1); // late
  assert.equal(t.coordinator.pendingCount, 0);
});

test('a decline aborts the checkpoint and, beyond the tolerable failures, fails the job', async () => {
  const t = setup({ tolerableFailures: 1 });
  const first = t.coordinator.triggerCheckpoint();
  await settle();
  t.decline(1);
  await assert.rejects(first, /A task declined the checkpoint: disk full/);
  assert.equal(t.failures.length, 0);
  const second = t.coordinator.triggerCheckpoint();
  await settle();
  t.decline(2);
  await assert.rejects(second, /declined/);
  assert.equal(t.failures.length, 1);
  assert.match(t.failures[0]!.message, /Exceeded checkpoint tolerable failure threshold \(1\)/);
  // A success resets the count.
  const third = t.coordinator.triggerCheckpoint();
  await settle();
  t.ack('att1', 3, 0); t.ack('att2', 3, 1);
  await third;
  const fourth = t.coordinator.triggerCheckpoint();
  await settle();
  t.decline(4);
  await assert.rejects(fourth);
  assert.equal(t.failures.length, 1);
});

test('a checkpoint that does not complete within the timeout expires', async () => {
  const t = setup({ timeoutMs: 500, tolerableFailures: 5 });
  const p = t.coordinator.triggerCheckpoint();
  await settle();
  t.ack('att1', 1, 0);
  t.timers.advance(499);
  assert.equal(t.coordinator.pendingCount, 1);
  t.timers.advance(1);
  await assert.rejects(p, /Checkpoint expired before completing: checkpoint 1 did not complete within 500 ms/);
  assert.equal(t.coordinator.pendingCount, 0);
  assert.equal(t.sent.filter((s) => s.message.notify_checkpoint_aborted).length, 2);
});

test('min pause between checkpoints is respected', async () => {
  const t = setup({ intervalMs: 100, minPauseMs: 300 });
  t.coordinator.startPeriodic();
  t.timers.advance(100);
  await settle();
  t.ack('att1', 1, 0); t.ack('att2', 1, 1);
  await settle();
  t.timers.advance(100); // 100 ms after completion: too early
  await settle();
  assert.deepEqual(t.triggers(), [1, 1]);
  t.timers.advance(200);
  await settle();
  assert.deepEqual(t.triggers(), [1, 1, 2, 2]);
});

test('savepoints need checkpointing and a directory; ids continue after a restore', async () => {
  const disabled = setup({ intervalMs: undefined });
  await assert.rejects(disabled.coordinator.triggerSavepoint('/tmp/x'), { message: 'Checkpointing disabled. You can enable it via the execution environment of your job' });
  const noDir = setup();
  await assert.rejects(noDir.coordinator.triggerSavepoint(undefined), /No savepoint directory configured\..*state\.savepoints\.dir/);
  const t = setup();
  t.coordinator.resetCheckpointId(41);
  const p = t.coordinator.triggerCheckpoint();
  await settle();
  assert.deepEqual(t.triggers(), [42, 42]);
  t.ack('att1', 42, 0); t.ack('att2', 42, 1);
  assert.equal((await p).checkpointId, 42);
});

test('num-retained keeps the newest checkpoints on disk and deletes subsumed and failed ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-coord-'));
  const t = setup({ numRetained: 2, tolerableFailures: 9 }, `file://${dir}`);
  for (let id = 1; id <= 4; id++) {
    const p = t.coordinator.triggerCheckpoint();
    await settle();
    t.ack('att1', id, 0); t.ack('att2', id, 1);
    await p;
  }
  const jobDir = join(dir, JOB);
  await eventually(() => !existsSync(join(jobDir, 'chk-2')));
  assert.deepEqual(readdirSync(jobDir).sort(), ['chk-3', 'chk-4', 'shared', 'taskowned']);
  assert.ok(existsSync(join(jobDir, 'chk-4', '_metadata')));
  const failing = t.coordinator.triggerCheckpoint();
  await eventually(() => existsSync(join(jobDir, 'chk-5')));
  assert.ok(existsSync(join(jobDir, 'chk-5')));
  t.decline(5);
  await assert.rejects(failing);
  await eventually(() => !existsSync(join(jobDir, 'chk-5')));
  assert.equal(existsSync(join(jobDir, 'chk-5')), false);
  // Job end with the default retention deletes everything.
  await t.coordinator.onJobEnd('CANCELED');
  assert.equal(existsSync(jobDir), false);
});
