import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeFunction, isCheckpointedFunction, isCheckpointListener, isParallelSourceFunction, isRichFunction, openFunction,
} from './function-lifecycle.js';
import { RichMapFunction } from './rich-function.js';
import { RichParallelSourceFunction, RichSourceFunction } from './source-function.js';
import type { RuntimeContext } from './functions.js';

const runtimeContext = { getTaskName: () => 'Map (1/1)' } as unknown as RuntimeContext;

test('openFunction sets the runtime context before open, closeFunction closes', async () => {
  const calls: string[] = [];
  class Mapper extends RichMapFunction<number, number> {
    override open(ctx: RuntimeContext) { calls.push(`open:${ctx.getTaskName()}:${this.getRuntimeContext() === ctx}`); }
    override close() { calls.push('close'); }
    map(n: number) { return n; }
  }
  const m = new Mapper();
  assert.throws(() => m.getRuntimeContext(), /The runtime context has not been initialized yet/);
  await openFunction(m, runtimeContext);
  await closeFunction(m);
  assert.deepEqual(calls, ['open:Map (1/1):true', 'close']);
  // Plain objects without lifecycle methods are fine too.
  await openFunction({ map: (n: number) => n }, runtimeContext);
  await closeFunction({ map: (n: number) => n });
});

test('role detection', () => {
  class Mapper extends RichMapFunction<number, number> { map(n: number) { return n; } }
  assert.equal(isRichFunction(new Mapper()), true);
  assert.equal(isRichFunction({ map: (n: number) => n }), false);
  assert.equal(isCheckpointedFunction({ snapshotState() {}, initializeState() {} }), true);
  assert.equal(isCheckpointedFunction(new Mapper()), false);
  assert.equal(isCheckpointListener({ notifyCheckpointComplete() {} }), true);
  class Par extends RichParallelSourceFunction<number> { async run() {} cancel() {} }
  class Single extends RichSourceFunction<number> { async run() {} cancel() {} }
  assert.equal(isParallelSourceFunction(new Par()), true);
  assert.equal(isParallelSourceFunction(new Single()), false);
});
