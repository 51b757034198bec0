import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runInPlanMode } from './plan-mode.js';
import { StreamExecutionEnvironment } from './stream-execution-environment.js';

async function wordJob(args: string[]): Promise<void> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(1000);
  env.fromElements(...args).uid('words').keyBy((w) => w).map((w) => w.toUpperCase()).print();
  await env.execute('Words');
}

test('runInPlanMode returns the plan of main, with the given defaults', async () => {
  const plan = await runInPlanMode(wordJob, ['a', 'b'], { defaultParallelism: 3, defaultMaxParallelism: 64 });
  const g = plan.jobGraph;
  assert.equal(g.jobName, 'Words');
  assert.deepEqual(g.vertices.map((v) => [v.name, v.parallelism, v.maxParallelism]), [
    ['Source: Collection Source', 1, 64],
    ['Map -> Sink: Print to Std. Out', 3, 64],
  ]);
  assert.equal(g.maxParallelism, 64);
  assert.deepEqual(g.checkpoint, { intervalMs: 1000 });
  assert.equal(plan.operators.size, 3);
  for (const v of g.vertices) for (const o of v.operators) assert.equal(plan.operators.get(o.id)!.name, o.name);
});

test('within one plan run getExecutionEnvironment returns one environment, and code settings win', async () => {
  const plan = await runInPlanMode(async () => {
    const a = StreamExecutionEnvironment.getExecutionEnvironment();
    assert.equal(a, StreamExecutionEnvironment.getExecutionEnvironment());
    a.setParallelism(5);
    a.fromSequence(1, 3).print();
    await StreamExecutionEnvironment.getExecutionEnvironment().execute();
  }, [], { defaultParallelism: 2 });
  assert.equal(plan.jobGraph.jobName, 'Flink Streaming Job');
  assert.equal(plan.jobGraph.vertices[0]!.parallelism, 5);
});

test('a main that never calls execute is rejected clearly; its own errors pass through', async () => {
  await assert.rejects(
    runInPlanMode(() => { StreamExecutionEnvironment.getExecutionEnvironment().fromSequence(1, 2).print(); }, [], { defaultParallelism: 1 }),
    { message: "The job's main did not call execute(): a job file's default export must build the job and end with `await env.execute('<job name>')`." },
  );
  await assert.rejects(runInPlanMode(async () => { throw new Error('bad args'); }, [], { defaultParallelism: 1 }), { message: 'bad args' });
  await assert.rejects(runInPlanMode(async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, 2).uid('x').map((n) => n).uid('x');
    await env.execute();
  }, [], { defaultParallelism: 1 }), /Hash collision on user-specified ID "x"/);
  await assert.rejects(runInPlanMode(wordJob, [], { defaultParallelism: 0 }), /The parallelism must be a positive integer, got 0/);
});

test('the plan is returned even when main swallows the signal or does not await execute', async () => {
  const swallowed = await runInPlanMode(async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, 2).print();
    try { await env.execute('Swallowed'); } catch { /* user code catching everything */ }
    throw new Error('after execute');
  }, [], { defaultParallelism: 1 });
  assert.equal(swallowed.jobGraph.jobName, 'Swallowed');

  const notAwaited = await runInPlanMode((() => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, 2).print();
    void env.execute('NotAwaited');
  }) as (args: string[]) => void, [], { defaultParallelism: 1 });
  assert.equal(notAwaited.jobGraph.jobName, 'NotAwaited');
});

test('concurrent plan runs do not see each other', async () => {
  const job = (name: string, delayMs: number) => async (args: string[]) => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    await sleep(delayMs);
    env.fromElements(...args).map((x) => x).print();
    await sleep(delayMs);
    assert.equal(env, StreamExecutionEnvironment.getExecutionEnvironment());
    await env.execute(name);
  };
  const [a, b] = await Promise.all([
    runInPlanMode(job('A', 20), ['x'], { defaultParallelism: 2 }),
    runInPlanMode(job('B', 5), ['y', 'z'], { defaultParallelism: 7 }),
  ]);
  assert.equal(a.jobGraph.jobName, 'A');
  assert.equal(b.jobGraph.jobName, 'B');
  assert.equal(a.jobGraph.vertices[1]!.parallelism, 2);
  assert.equal(b.jobGraph.vertices[1]!.parallelism, 7);
  assert.equal(a.operators.size, 3);
  assert.equal(b.operators.size, 3);
});

test('outside plan mode execute explains that jobs run through flink run', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromSequence(1, 2).print();
  assert.throws(() => env.execute('Local'), /execute\(\) was called outside a cluster\. tsflink jobs run through `flink run <job file>`/);
  assert.notEqual(env, StreamExecutionEnvironment.getExecutionEnvironment());
});
