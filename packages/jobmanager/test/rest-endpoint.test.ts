import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MiniCluster } from '@tsflink/testing';

const clusters: MiniCluster[] = [];
after(async () => { await Promise.all(clusters.map((c) => c.close())); });

async function overview(port: number): Promise<{ taskmanagers: number; 'slots-total': number }> {
  const response = await fetch(`http://127.0.0.1:${port}/overview`);
  assert.equal(response.status, 200);
  return await response.json() as { taskmanagers: number; 'slots-total': number };
}

test('rest.address names where clients reach the endpoint; the server binds rest.bind-address (else the JobManager host)', async () => {
  // A name this machine cannot bind (say a proxy's): the JobManager must still start and serve locally.
  const proxied = await MiniCluster.start({ taskManagers: 1, config: { 'rest.address': 'flink-rest.example.invalid' } });
  clusters.push(proxied);
  const seen = await overview(proxied.restPort);
  assert.equal(seen.taskmanagers, 1);
  assert.equal(seen['slots-total'], 1);

  const bound = await MiniCluster.start({ taskManagers: 0, config: { 'rest.bind-address': '127.0.0.1' } });
  clusters.push(bound);
  assert.equal((await overview(bound.restPort)).taskmanagers, 0);
  const started = await bound.jobManager.waitForLine(/JobManager started/);
  assert.match(started, /REST on 127\.0\.0\.1:/);
});
