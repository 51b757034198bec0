import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Boundedness, runInPlanMode } from '@tsflink/api';
import { DataGeneratorSource } from '@tsflink/connectors';
import main, { parseRate, StatefulMapper } from './stateful-mapper.js';

test('in plan mode the job is the seed pattern: generator → rebalance/keyBy → stateful mapper → print', async () => {
  const plan = await runInPlanMode(main, ['250'], { defaultParallelism: 2 });
  const g = plan.jobGraph;
  assert.equal(g.jobName, 'CheckpointExample');
  assert.deepEqual(g.checkpoint, { intervalMs: 5000, externalizedCleanup: 'RETAIN_ON_CANCELLATION' });
  assert.deepEqual(g.vertices.flatMap((v) => v.operators.map((o) => [o.uid, o.kind, o.stateful])), [
    ['source', 'source', true],
    ['stateful-mapper', 'flatMap', true],
    [undefined, 'print', false],
  ]);
  assert.deepEqual(g.edges.map((e) => e.partitioner), ['hash']);
  const source = [...plan.operators.values()].find((s) => s.kind === 'source')!;
  assert.ok(source.kind === 'source' && source.source instanceof DataGeneratorSource);
  assert.equal(source.kind === 'source' && source.source.getBoundedness(), Boundedness.CONTINUOUS_UNBOUNDED);
  const mapper = [...plan.operators.values()].find((s) => s.kind === 'flatMap')!;
  assert.ok(mapper.kind === 'flatMap' && mapper.keySelector?.getKey(23) === 3);
});

test('the mapper counts per key in its value state', () => {
  const state = new Map<string, number>();
  let key = '';
  const mapper = new StatefulMapper();
  mapper.open({ getState: () => ({ value: () => state.get(key) ?? 0, update: (v: number) => { state.set(key, v); } }) } as never);
  const out: string[] = [];
  for (const n of [3, 13, 4, 23]) {
    key = String(n % 10);
    mapper.flatMap(n, { collect: (s) => out.push(s) });
  }
  assert.deepEqual(out, ['3:1', '3:2', '4:1', '3:3']);
});

test('the rate comes from the first argument, 1000/s by default', () => {
  assert.equal(parseRate([]), 1000);
  assert.equal(parseRate(['50']), 50);
  assert.throws(() => parseRate(['fast']), /positive number of records per second, got "fast"/);
});
