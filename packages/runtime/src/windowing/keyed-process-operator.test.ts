import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KeyedProcessFunction, MAX_WATERMARK, OutputTag, StreamExecutionEnvironment, TimeDomain, ValueStateDescriptor,
  WatermarkStrategy,
  type Collector, type KeyedProcessFunctionContext, type KeyedProcessOperatorSpec, type OnTimerContext, type RuntimeContext,
  type ValueState,
} from '@tsflink/api';
import { NO_TIMESTAMP } from '../network/stream-item.js';
import { KeyedProcessOperator } from './keyed-process-operator.js';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import {
  KeyedOperatorGroup, runScenario, sortedRecords,
  type GroupStarter, type OperatorCheckpoint,
} from './operator-test-harness.js';

interface Event { key: string; ts: number; value: number }

const NEGATIVE = new OutputTag<Event>('negative');

/**
 * Per key: counts events and sums values in keyed state. Each event moves the
 * key's event-time "inactivity" timer to `ts + 10` (deleting the previous one)
 * and asks for a processing-time report 100 ms later (deduplicated per ms).
 * The event-time timer emits the key's totals and clears them.
 */
class InactivityReporter extends KeyedProcessFunction<string, Event, string> {
  private totals!: ValueState<{ count: number; sum: number; lastTimer: number } | undefined>;

  override open(ctx: RuntimeContext): void {
    this.totals = ctx.getState(new ValueStateDescriptor<{ count: number; sum: number; lastTimer: number } | undefined>('totals'));
  }

  processElement(event: Event, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    if (event.value < 0) {
      ctx.output(NEGATIVE, event);
      return;
    }
    const timers = ctx.timerService();
    const current = this.totals.value() ?? { count: 0, sum: 0, lastTimer: Number.NaN };
    if (!Number.isNaN(current.lastTimer)) timers.deleteEventTimeTimer(current.lastTimer);
    const timer = ctx.timestamp()! + 10;
    timers.registerEventTimeTimer(timer);
    timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 100);
    this.totals.update({ count: current.count + 1, sum: current.sum + event.value, lastTimer: timer });
    if (event.value === 0) out.collect(`${ctx.getCurrentKey()}:zero@${ctx.timestamp()}`);
  }

  override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    if (ctx.timeDomain() === TimeDomain.PROCESSING_TIME) {
      out.collect(`${ctx.getCurrentKey()}:report@${timestamp}`);
      return;
    }
    const totals = this.totals.value()!;
    out.collect(`${ctx.getCurrentKey()}:${totals.count}/${totals.sum}@${ctx.timestamp()}`);
    this.totals.clear();
  }
}

const main = async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements<Event>({ key: 'a', ts: 0, value: 0 })
    .keyBy((e) => e.key)
    .process(new InactivityReporter()).uid('reporter')
    .print();
  await env.execute('keyed process test');
};

const start: GroupStarter<KeyedProcessOperator> = (parallelism, scheduler, checkpoint?: OperatorCheckpoint) =>
  KeyedOperatorGroup.start<KeyedProcessOperatorSpec, KeyedProcessOperator>({
    main, kind: 'keyedProcess', parallelism, scheduler, checkpoint,
    create: (ctx, spec, services) => new KeyedProcessOperator(ctx, spec, services),
  });

describe('KeyedProcessOperator', () => {
  it('fires event-time timers on watermarks with the timer key current, stamps output with the timer time, then forwards the watermark', async () => {
    const group = await start(1, new ManualProcessingTimeScheduler(1000));
    group.element({ key: 'a', ts: 1, value: 3 }, 1);
    group.element({ key: 'b', ts: 2, value: 4 }, 2);
    group.element({ key: 'a', ts: 5, value: 0 }, 5);
    assert.deepEqual(group.output.records, [{ value: 'a:zero@5', timestamp: 5 }], 'processElement output keeps the record timestamp');

    group.watermark(12);
    group.watermark(12);
    group.watermark(11);
    assert.deepEqual(group.output.records.slice(1), [{ value: 'b:1/4@12', timestamp: 12 }]);
    group.watermark(20);
    assert.deepEqual(group.output.records.slice(2), [{ value: 'a:2/3@15', timestamp: 15 }], 'the moved timer (11 → 15) fired once');
    assert.deepEqual(group.output.watermarks, [12, 20], 'only advancing watermarks go downstream, after the timers they fire');
    await group.close();
  });

  it('fires processing-time timers from the scheduler, without timestamp, deduplicated per key and time', async () => {
    const scheduler = new ManualProcessingTimeScheduler(1000);
    const group = await start(1, scheduler);
    group.element({ key: 'a', ts: 1, value: 1 }, 1);
    group.element({ key: 'a', ts: 2, value: 1 }, 2);
    scheduler.advanceTo(1050);
    group.element({ key: 'b', ts: 3, value: 1 }, 3);
    assert.equal(group.output.records.length, 0);
    scheduler.advanceTo(1100);
    assert.deepEqual(group.output.records, [{ value: 'a:report@1100', timestamp: NO_TIMESTAMP }]);
    scheduler.advanceTo(2000);
    assert.deepEqual(group.output.values(), ['a:report@1100', 'b:report@1150']);
    await group.close();
  });

  it('emits to side outputs with the record timestamp', async () => {
    const group = await start(1, new ManualProcessingTimeScheduler());
    group.element({ key: 'a', ts: 7, value: -1 }, 7);
    assert.deepEqual(group.sideOutput.records, [{ tag: 'negative', value: { key: 'a', ts: 7, value: -1 }, timestamp: 7 }]);
    assert.equal(group.output.records.length, 0);
    await group.close();
  });

  it('gives processElement the time queries and the key, but timeDomain() only in onTimer', async () => {
    const probeMain = async () => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromElements<Event>({ key: 'a', ts: 0, value: 0 })
        .keyBy((e) => e.key)
        .process((event: Event, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>) => {
          let domain: string;
          try { domain = (ctx as OnTimerContext<string>).timeDomain(); } catch (e) { domain = (e as Error).message; }
          const t = ctx.timerService();
          out.collect(`${ctx.getCurrentKey()} ${event.ts} wm=${t.currentWatermark()} now=${t.currentProcessingTime()} ${domain}`);
        })
        .print();
      await env.execute('probe');
    };
    const group = await KeyedOperatorGroup.start<KeyedProcessOperatorSpec, KeyedProcessOperator>({
      main: probeMain, kind: 'keyedProcess', parallelism: 1, scheduler: new ManualProcessingTimeScheduler(777),
      create: (ctx, spec, services) => new KeyedProcessOperator(ctx, spec, services),
    });
    group.watermark(3);
    group.element({ key: 'q', ts: 9, value: 1 }, 9);
    assert.deepEqual(group.output.values(), ['q 9 wm=3 now=777 timeDomain() is only available in onTimer().']);
    await group.close();
  });

  describe('checkpoints: timers and keyed state restore at any parallelism', () => {
    /** 300 out-of-order events over 7 keys, with silent stretches so inactivity timers fire mid-stream. */
    const events: Event[] = [];
    let seed = 7;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let i = 0; i < 300; i++) {
      const key = `k${Math.floor(next() * 7)}`;
      const base = i * 3 + (i > 150 ? 200 : 0);
      events.push({ key, ts: Math.max(0, base - Math.floor(next() * 15)), value: Math.floor(next() * 10) - 1 });
    }
    const scenario = { start, records: events, strategy: WatermarkStrategy.forBoundedOutOfOrderness<Event>(15).withTimestampAssigner((e) => e.ts), processingTimeStart: 10_000, processingTimeStep: 7, processingTimeEnd: 20_000 };

    let expected: { records: string[]; side: string[] };
    before(async () => {
      const result = await runScenario({ ...scenario, parallelism: 2 });
      expected = { records: sortedRecords(result.records), side: sortedRecords(result.side) };
    });

    it('the uninterrupted reference run fires both kinds of timers and emits side outputs', () => {
      assert.ok(expected.records.filter((r) => r.includes('report')).length > 100, 'processing-time reports fired');
      assert.ok(expected.records.filter((r) => /:\d+\/\d+@/.test(r)).length > 10, 'inactivity timers fired');
      assert.ok(expected.side.length > 0, 'side outputs were emitted');
    });

    for (const [from, to, at] of [[2, 1, 100], [1, 2, 160], [2, 3, 151], [1, 1, 299]] as const) {
      it(`crash after a checkpoint at record ${at}, restore ${from} → ${to} subtasks: same results`, async () => {
        const result = await runScenario({ ...scenario, parallelism: from, checkpointAfter: at, restoreParallelism: to, lostAfterCheckpoint: 25 });
        assert.deepEqual(sortedRecords(result.records), expected.records);
        assert.deepEqual(sortedRecords(result.side), expected.side);
      });
    }

    it('pending timers really are in the checkpoint (a restored subtask fires them without new input)', async () => {
      const scheduler = new ManualProcessingTimeScheduler(500);
      const group = await start(2, scheduler);
      group.element({ key: 'x', ts: 40, value: 2 }, 40);
      group.element({ key: 'y', ts: 41, value: 5 }, 41);
      const checkpoint = await group.snapshot(3);
      await group.close();
      const restored = await start(1, new ManualProcessingTimeScheduler(550), checkpoint);
      restored.watermark(MAX_WATERMARK);
      assert.deepEqual(restored.output.values().sort(), ['x:1/2@50', 'y:1/5@51']);
      restored.scheduler.advanceTo(600);
      assert.deepEqual(restored.output.values().slice(2).sort(), ['x:report@600', 'y:report@600']);
      await restored.close();
    });
  });
});
