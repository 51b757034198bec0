import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventTimeSessionWindows, ListStateDescriptor, MAX_WATERMARK, OutputTag, ProcessingTimeSessionWindows, ProcessWindowFunction,
  SlidingEventTimeWindows, Time, TumblingEventTimeWindows, TumblingProcessingTimeWindows, ValueStateDescriptor,
  WatermarkStrategy,
  type AggregateFunction, type Collector, type ProcessWindowFunctionContext, type RuntimeContext,
} from '@tsflink/api';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import { WatermarkedInput } from './operator-test-harness.js';
import { ev, sumEvents, windowJob, windowStarter, type Event } from './window-test-support.js';

const LATE = new OutputTag<Event>('late');
const byTimestamp = (ms: number) => WatermarkStrategy.forBoundedOutOfOrderness<Event>(ms).withTimestampAssigner((e) => e.ts);

/** Counts events and sums their values. */
const countAndSum: AggregateFunction<Event, { count: number; sum: number }, string> = {
  createAccumulator: () => ({ count: 0, sum: 0 }),
  add: (e, acc) => ({ count: acc.count + 1, sum: acc.sum + e.value }),
  getResult: (acc) => `${acc.count}/${acc.sum}`,
  merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }),
};

/** Lists the window, the key and the elements' timestamps in arrival (state) order. */
const listElements = (key: string, ctx: ProcessWindowFunctionContext, elements: Iterable<Event>, out: Collector<string>) => {
  const w = ctx.window();
  out.collect(`${key} ${w.getStart()}-${w.getEnd()} ${[...elements].map((e) => e.ts).join(',')}`);
};

describe('WindowOperator', () => {
  it('tumbling event-time windows reduce out-of-order input, fire when the watermark passes their end, drop late records', async () => {
    const group = await windowStarter(windowJob((k) => k.window(TumblingEventTimeWindows.of(Time.milliseconds(10))).reduce(sumEvents)))(1, new ManualProcessingTimeScheduler());
    const input = new WatermarkedInput(byTimestamp(5));
    input.feed(group, [ev('a', 1, 1), ev('a', 12, 2), ev('b', 3, 4), ev('a', 8, 8)]);
    assert.equal(group.output.records.length, 0, 'watermark 6 fires nothing');
    input.feed(group, [ev('a', 16, 16)]);
    assert.deepEqual(group.output.records, [
      { value: { key: 'a', ts: 8, value: 9 }, timestamp: 9 },
      { value: { key: 'b', ts: 3, value: 4 }, timestamp: 9 },
    ]);
    input.feed(group, [ev('a', 7, 32), ev('b', 25, 64)]);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.records.slice(2), [
      { value: { key: 'a', ts: 16, value: 18 }, timestamp: 19 },
      { value: { key: 'b', ts: 25, value: 64 }, timestamp: 29 },
    ]);
    assert.equal(group.operators[0]!.numLateRecordsDropped, 1, 'a@7 came after its window closed');
    assert.deepEqual(group.output.watermarks, [-5, 6, 10, 19, MAX_WATERMARK]);
    await group.close();
  });

  it('sliding event-time windows aggregate; a record late for one of its windows still counts in the others', async () => {
    const main = windowJob((k) => k.window(SlidingEventTimeWindows.of(10, 5)).aggregate(countAndSum,
      (key: string, ctx: ProcessWindowFunctionContext, results: Iterable<string>, out: Collector<string>) => {
        out.collect(`${key} [${ctx.window().getStart()},${ctx.window().getEnd()}) ${[...results].join('|')}`);
      }));
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    const input = new WatermarkedInput(byTimestamp(5));
    input.feed(group, [ev('a', 1, 1), ev('a', 4, 2), ev('a', 6, 4), ev('a', 12, 8)]);
    assert.deepEqual(group.output.records, [{ value: 'a [-5,5) 2/3', timestamp: 4 }]);
    input.feed(group, [ev('a', 3, 16)]);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.records.slice(1), [
      { value: 'a [0,10) 4/23', timestamp: 9 },
      { value: 'a [5,15) 2/12', timestamp: 14 },
      { value: 'a [10,20) 1/8', timestamp: 19 },
    ]);
    assert.equal(group.operators[0]!.numLateRecordsDropped, 0);
    await group.close();
  });

  it('reduce with a ProcessWindowFunction hands it the reduction as the only element, with its window', async () => {
    const main = windowJob((k) => k.window(TumblingEventTimeWindows.of(100)).reduce(sumEvents,
      (key: string, ctx: ProcessWindowFunctionContext, reduced: Iterable<Event>, out: Collector<string>) => {
        const all = [...reduced];
        out.collect(`${key} ${ctx.window().getStart()} n=${all.length} sum=${all[0]!.value}`);
      }));
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    new WatermarkedInput(byTimestamp(0)).feed(group, [ev('a', 10, 1), ev('a', 20, 2), ev('b', 30, 5), ev('a', 150, 4)]);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.records, [
      { value: 'a 0 n=1 sum=3', timestamp: 99 },
      { value: 'b 0 n=1 sum=5', timestamp: 99 },
      { value: 'a 100 n=1 sum=4', timestamp: 199 },
    ]);
    await group.close();
  });

  it('session windows merge (also when a record bridges two sessions) and send records too late for any session to the late-data output', async () => {
    const main = windowJob((k) => k.window(EventTimeSessionWindows.withGap(10)).sideOutputLateData(LATE).process(listElements));
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    const input = new WatermarkedInput(byTimestamp(30));
    input.feed(group, [ev('a', 0), ev('a', 30), ev('a', 8), ev('a', 22)]);
    assert.equal(group.output.records.length, 0);
    input.feed(group, [ev('a', 17)]);
    input.feed(group, [ev('b', 100)]);
    assert.deepEqual(group.output.records, [{ value: 'a 0-40 0,8,30,22,17', timestamp: 39 }]);
    input.feed(group, [ev('a', 35), ev('a', 75)]);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.records.slice(1), [
      { value: 'a 75-85 75', timestamp: 84 },
      { value: 'b 100-110 100', timestamp: 109 },
    ]);
    assert.deepEqual(group.sideOutput.records, [{ tag: 'late', value: ev('a', 35), timestamp: 35 }]);
    await group.close();
  });

  it('allowed lateness: a late record re-fires its window at once; past the lateness the state is gone and records go to the late output', async () => {
    const main = windowJob((k) => k.window(TumblingEventTimeWindows.of(10)).allowedLateness(5).sideOutputLateData(LATE).reduce(sumEvents));
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    const op = group.operators[0]!;
    const input = new WatermarkedInput(byTimestamp(0));
    input.feed(group, [ev('a', 1, 1), ev('a', 5, 2), ev('a', 11, 4)]);
    assert.deepEqual(group.output.records, [{ value: { key: 'a', ts: 5, value: 3 }, timestamp: 9 }]);
    input.feed(group, [ev('a', 3, 8)]);
    assert.deepEqual(group.output.records.slice(1), [{ value: { key: 'a', ts: 5, value: 11 }, timestamp: 9 }], 'late firing with the late record');
    input.feed(group, [ev('a', 16, 16), ev('a', 4, 32), ev('a', 12, 64)]);
    assert.equal(group.output.records.length, 2, 'no more firing for [0, 10) once cleaned up at 14');
    assert.deepEqual(group.sideOutput.records, [{ tag: 'late', value: ev('a', 4, 32), timestamp: 4 }]);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.records.slice(2), [{ value: { key: 'a', ts: 16, value: 84 }, timestamp: 19 }]);
    assert.equal(op.numLateRecordsDropped, 0);
    await group.close();
  });

  it('the end-of-time watermark fires every open window and leaves no keyed state behind', async () => {
    const main = windowJob((k) => k.window(EventTimeSessionWindows.withGap(50)).allowedLateness(1000).aggregate(countAndSum));
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    const input = new WatermarkedInput(byTimestamp(1000));
    input.feed(group, [ev('a', 10), ev('b', 20), ev('a', 40), ev('c', 500), ev('b', 100)]);
    const op = group.operators[0]!;
    assert.equal(group.output.records.length, 0);
    assert.ok(op.keyedStateEntries() > 0);
    group.watermark(MAX_WATERMARK);
    assert.deepEqual(group.output.values().sort(), ['1/1', '1/1', '1/1', '2/2']);
    assert.equal(op.keyedStateEntries(), 0, 'contents, session sets and timers are all cleaned up');
    await group.close();
  });

  it('refuses a record without timestamp in an event-time window, naming the cause', async () => {
    const group = await windowStarter(windowJob((k) => k.window(TumblingEventTimeWindows.of(10)).reduce(sumEvents)))(1, new ManualProcessingTimeScheduler());
    assert.throws(() => group.element(ev('a', 1), NO_TIMESTAMP), /record without timestamp.*assignTimestampsAndWatermarks/);
    await group.close();
  });

  describe('processing time', () => {
    it('tumbling windows assign by the clock and fire from the scheduler at their max timestamp', async () => {
      const scheduler = new ManualProcessingTimeScheduler(1000);
      const group = await windowStarter(windowJob((k) => k.window(TumblingProcessingTimeWindows.of(100)).reduce(sumEvents)))(1, scheduler);
      group.element(ev('a', 0, 1), NO_TIMESTAMP);
      scheduler.advanceTo(1050);
      group.element(ev('a', 0, 2), NO_TIMESTAMP);
      group.element(ev('b', 0, 4), NO_TIMESTAMP);
      scheduler.advanceTo(1098);
      assert.equal(group.output.records.length, 0);
      scheduler.advanceTo(1120);
      group.element(ev('a', 0, 8), NO_TIMESTAMP);
      assert.deepEqual(group.output.records, [
        { value: { key: 'a', ts: 0, value: 3 }, timestamp: 1099 },
        { value: { key: 'b', ts: 0, value: 4 }, timestamp: 1099 },
      ]);
      group.watermark(MAX_WATERMARK);
      assert.equal(group.output.records.length, 2, 'watermarks do not fire processing-time windows');
      scheduler.advanceTo(1200);
      assert.deepEqual(group.output.records.slice(2), [{ value: { key: 'a', ts: 0, value: 8 }, timestamp: 1199 }]);
      assert.equal(scheduler.pendingCount, 0);
      await group.close();
    });

    it('session windows merge by the clock', async () => {
      const scheduler = new ManualProcessingTimeScheduler(1000);
      const group = await windowStarter(windowJob((k) => k.window(ProcessingTimeSessionWindows.withGap(50)).process(listElements)))(1, scheduler);
      group.element(ev('a', 1), NO_TIMESTAMP);
      scheduler.advanceTo(1030);
      group.element(ev('a', 2), NO_TIMESTAMP);
      scheduler.advanceTo(1078);
      assert.equal(group.output.records.length, 0, 'the first session was extended to 1080');
      scheduler.advanceTo(1079);
      assert.deepEqual(group.output.records, [{ value: 'a 1000-1080 1,2', timestamp: 1079 }]);
      await group.close();
    });
  });

  describe('ProcessWindowFunction', () => {
    /** Counts firings per window (per-window state, cleared with the window) and overall (global state). */
    class FiringCounter extends ProcessWindowFunction<Event, string, string> {
      opened = false;

      override open(_ctx: RuntimeContext): void {
        this.opened = this.getRuntimeContext().getIndexOfThisSubtask() === 0;
      }

      process(key: string, ctx: ProcessWindowFunctionContext, elements: Iterable<Event>, out: Collector<string>): void {
        const perWindow = ctx.windowState().getState(new ValueStateDescriptor<number>('firings', 0));
        const total = ctx.globalState().getState(new ValueStateDescriptor<number>('total-firings', 0));
        const list = ctx.windowState().getListState(new ListStateDescriptor<number>('sizes'));
        perWindow.update(perWindow.value() + 1);
        total.update(total.value() + 1);
        list.add([...elements].length);
        out.collect(`${key}@${ctx.window().getStart()} firing ${perWindow.value()} total ${total.value()} sizes ${[...list.get()].join(',')} wm ${ctx.currentWatermark()} opened ${this.opened}`);
        if (perWindow.value() === 2) ctx.output(new OutputTag<string>('second-firings'), `${key}@${ctx.window().getStart()}`);
      }

      override clear(ctx: ProcessWindowFunctionContext): void {
        ctx.windowState().getState(new ValueStateDescriptor<number>('firings', 0)).clear();
        ctx.windowState().getListState(new ListStateDescriptor<number>('sizes')).clear();
      }
    }

    it('sees its window, per-window state (until clear), global state, the watermark and side outputs', async () => {
      const main = windowJob((k) => k.window(TumblingEventTimeWindows.of(10)).allowedLateness(10).process(new FiringCounter()));
      const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
      const input = new WatermarkedInput(byTimestamp(0));
      input.feed(group, [ev('a', 1), ev('a', 2), ev('a', 10), ev('a', 3), ev('a', 20), ev('a', 25)]);
      group.watermark(MAX_WATERMARK);
      assert.deepEqual(group.output.values(), [
        'a@0 firing 1 total 1 sizes 2 wm 9 opened true',
        'a@0 firing 2 total 2 sizes 2,3 wm 9 opened true',
        'a@10 firing 1 total 3 sizes 1 wm 19 opened true',
        'a@20 firing 1 total 4 sizes 2 wm 9007199254740991 opened true',
      ]);
      assert.deepEqual(group.sideOutput.records, [{ tag: 'second-firings', value: 'a@0', timestamp: 9 }]);
      const op = group.operators[0]!;
      assert.equal(op.keyedStateEntries('_window-state/firings'), 0, 'clear() removed the per-window state of every window');
      assert.equal(op.keyedStateEntries('_window-state/sizes'), 0);
      assert.equal(op.keyedStateEntries('total-firings'), 1);
      await group.close();
    });

    it('has no per-window state on merging windows, as in Flink', async () => {
      const main = windowJob((k) => k.window(EventTimeSessionWindows.withGap(10)).process(
        (key: string, ctx: ProcessWindowFunctionContext, _elements: Iterable<Event>, out: Collector<string>) => {
          try { ctx.windowState(); } catch (e) { out.collect(`${key}: ${(e as Error).message}`); }
        }));
      const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
      group.element(ev('a', 1), 1);
      group.watermark(MAX_WATERMARK);
      assert.deepEqual(group.output.values(), ['a: Per-window state is not allowed when using merging windows.']);
      await group.close();
    });
  });
});
