import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamExecutionEnvironment, NumberSequenceSource as ApiNumberSequenceSource, runInPlanMode, WatermarkStrategy } from '@tsflink/api';
import {
  DataGeneratorSource, FileSink, FileSource, NumberSequenceSource, PrintSink, RateLimiterStrategy, SocketTextStreamFunction,
} from './index.js';

test('importing the package backs env.readTextFile and env.socketTextStream', async () => {
  const plan = await runInPlanMode(async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.readTextFile('/tmp/in.txt').uid('file').print();
    env.socketTextStream('localhost', 9999).uid('socket').print();
    await env.execute('Builtins');
  }, [], { defaultParallelism: 2 });
  const sources = [...plan.operators.values()].filter((o) => o.kind === 'source' || o.kind === 'source-function');
  const file = sources.find((o) => o.uid === 'file')!;
  const socket = sources.find((o) => o.uid === 'socket')!;
  assert.equal(file.kind, 'source');
  assert.ok(file.kind === 'source' && file.source instanceof FileSource);
  assert.equal(file.parallelism, 2);
  assert.ok(socket.kind === 'source-function' && socket.userFunction instanceof SocketTextStreamFunction);
  assert.equal(socket.parallelism, 1, 'a socket is read by one subtask');
});

test('the package re-exports the API NumberSequenceSource and plans its sources and sinks', async () => {
  assert.equal(NumberSequenceSource, ApiNumberSequenceSource);
  const plan = await runInPlanMode(async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const gen = new DataGeneratorSource((i) => `v${i}`, 100, RateLimiterStrategy.perSecond(10));
    const stream = env.fromSource(gen, WatermarkStrategy.noWatermarks(), 'gen').uid('gen');
    stream.sinkTo(new PrintSink<string>('x')).uid('print');
    stream.sinkTo(FileSink.forRowFormat<string>('/tmp/out').build()).uid('files');
    await env.execute('Sinks');
  }, [], { defaultParallelism: 1 });
  const byUid = new Map([...plan.operators.values()].map((o) => [o.uid, o]));
  const descriptors = new Map(plan.jobGraph.vertices.flatMap((v) => v.operators).map((o) => [o.uid, o]));
  assert.equal(byUid.get('print')!.kind, 'sink');
  assert.equal(descriptors.get('files')!.stateful, true, 'the FileSink is stateful');
  assert.equal(descriptors.get('print')!.stateful, false);
  assert.equal(descriptors.get('gen')!.stateful, true);
});
