import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MiniCluster } from '@tsflink/testing';

describe('TaskManager registration and loss detection (1 JobManager + 2 TaskManagers, real processes)', () => {
  let cluster: MiniCluster;
  before(async () => {
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });
  after(async () => cluster?.close());

  test('both TaskManagers are registered with their slots', async () => {
    const overview = await cluster.client.clusterOverview();
    assert.equal(overview.task_managers.length, 2);
    assert.deepEqual(overview.task_managers.map((t) => t.slots), [2, 2]);
    assert.equal(overview.slots_total, 4);
    assert.notEqual(overview.task_managers[0]!.data_address, overview.task_managers[1]!.data_address);
  });

  test('a SIGKILLed TaskManager is detected through its closed connection and logged', async () => {
    const killed = await cluster.killTaskManager(1, 'SIGKILL');
    await cluster.waitForTaskManagers(1, 5_000);
    const line = await cluster.jobManager.waitForLine(/TaskManager .* is lost/);
    const record = JSON.parse(line) as { taskManagerId: string; reason: string };
    // Noticed through the closed connection, not by the 3 s heartbeat timeout (how fast: bench/checkpoint.ts).
    assert.match(record.reason, /connection/);
    assert.equal(killed.running, false);
    await cluster.startTaskManager();
    await cluster.waitForTaskManagers(2);
  });

  test('a hung TaskManager (SIGSTOP) is declared lost after heartbeat.timeout, and re-registers when it resumes', async () => {
    const tm = cluster.taskManagers[0]!;
    tm.child.kill('SIGSTOP');
    try {
      await cluster.waitForTaskManagers(1, 10_000);
      const line = await cluster.jobManager.waitForLine(/no heartbeat for/);
      assert.match(line, /heartbeat\.timeout is 3000 ms/);
    } finally {
      tm.child.kill('SIGCONT');
    }
    await cluster.waitForTaskManagers(2, 10_000);
  });

  test('TaskManagers re-register after the JobManager restarts', async () => {
    await cluster.killJobManager('SIGKILL');
    await Promise.all(cluster.taskManagers.map((tm) => tm.waitForLine(/Lost the connection to the JobManager/)));
    await cluster.restartJobManager();
    await cluster.waitForTaskManagers(2, 15_000);
    const overview = await cluster.client.clusterOverview();
    assert.equal(overview.slots_total, 4);
  });

  test('SIGTERM stops a TaskManager cleanly (exit code 0)', async () => {
    const tm = cluster.taskManagers[0]!;
    tm.child.kill('SIGTERM');
    const { code } = await tm.exited;
    assert.equal(code, 0);
    cluster.taskManagers.splice(0, 1);
    await cluster.waitForTaskManagers(1);
  });
});
