/**
 * Window contents, in-flight sessions, timers and the watermark are all in the
 * checkpoint: a crash after a checkpoint (whatever happened after it is lost and
 * replayed), or a stop/resume, in the middle of open windows gives exactly the
 * results of an uninterrupted run, also when the restore changes parallelism.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventTimeSessionWindows, MAX_WATERMARK, OutputTag, ProcessingTimeSessionWindows, SlidingEventTimeWindows,
  TumblingEventTimeWindows, TumblingProcessingTimeWindows, WatermarkStrategy,
  type AggregateFunction, type Collector, type ProcessWindowFunctionContext,
} from '@tsflink/api';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import { WatermarkedInput, runScenario, sortedRecords } from './operator-test-harness.js';
import { ev, sumEvents, windowJob, windowStarter, type Event } from './window-test-support.js';

const LATE = new OutputTag<Event>('late');
const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(20).withTimestampAssigner((e) => e.ts);

/** 400 events over 6 keys: timestamps rising with jitter, quiet stretches (sessions end), and some very late events. */
function makeEvents(): Event[] {
  let seed = 20240607;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const events: Event[] = [];
  let clock = 0;
  for (let i = 0; i < 400; i++) {
    clock += Math.floor(next() * 6) + (i % 50 === 49 ? 120 : 0);
    const key = `k${Math.floor(next() * 6)}`;
    const late = i % 37 === 36 ? 150 : 0;
    events.push(ev(key, Math.max(0, clock - Math.floor(next() * 25) - late), Math.floor(next() * 100)));
  }
  return events;
}
const events = makeEvents();

const countAndSum: AggregateFunction<Event, { count: number; sum: number }, string> = {
  createAccumulator: () => ({ count: 0, sum: 0 }),
  add: (e, acc) => ({ count: acc.count + 1, sum: acc.sum + e.value }),
  getResult: (acc) => `${acc.count}/${acc.sum}`,
  merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }),
};

const describeWindow = (key: string, ctx: ProcessWindowFunctionContext, elements: Iterable<unknown>, out: Collector<string>) => {
  const w = ctx.window();
  out.collect(`${key} [${w.getStart()},${w.getEnd()}) ${[...elements].map((e) => (typeof e === 'object' ? (e as Event).ts : e)).join(',')}`);
};

interface Case {
  readonly name: string;
  readonly main: () => Promise<void>;
  /** The job sends late records to the LATE side output. */
  readonly lateOutput?: boolean;
}

const cases: Case[] = [
  {
    name: 'tumbling event-time windows, reduce, allowed lateness and late-data output',
    main: windowJob((k) => k.window(TumblingEventTimeWindows.of(50)).allowedLateness(30).sideOutputLateData(LATE).reduce(sumEvents)),
    lateOutput: true,
  },
  {
    name: 'sliding event-time windows, aggregate with a ProcessWindowFunction',
    main: windowJob((k) => k.window(SlidingEventTimeWindows.of(60, 20)).aggregate(countAndSum, describeWindow)),
  },
  {
    name: 'event-time session windows, buffered process, lateness and late-data output',
    main: windowJob((k) => k.window(EventTimeSessionWindows.withGap(25)).allowedLateness(10).sideOutputLateData(LATE).process(describeWindow)),
    lateOutput: true,
  },
  {
    name: 'processing-time tumbling windows',
    main: windowJob((k) => k.window(TumblingProcessingTimeWindows.of(100)).reduce(sumEvents)),
  },
  {
    name: 'processing-time session windows',
    main: windowJob((k) => k.window(ProcessingTimeSessionWindows.withGap(30)).process(describeWindow)),
  },
];

/** Restores: [old parallelism, new parallelism, checkpoint after record n]. */
const restores: ReadonlyArray<readonly [number, number, number]> = [[2, 1, 97], [1, 2, 203], [2, 3, 311], [3, 2, 150]];

for (const c of cases) {
  describe(c.name, () => {
    const scenario = {
      start: windowStarter(c.main),
      records: events,
      strategy,
      // Processing time moves 7 ms per record (sessions of a key merge or end depending on the key's pace).
      processingTimeStart: 1_000_000,
      processingTimeStep: 7,
      processingTimeEnd: 1_000_000 + 7 * events.length + 1000,
    };
    let expected: { records: string[]; side: string[] };

    before(async () => {
      const result = await runScenario({ ...scenario, parallelism: 2 });
      expected = { records: sortedRecords(result.records), side: sortedRecords(result.side) };
    });

    it('the uninterrupted reference run fires windows during the input and at its end', () => {
      assert.ok(expected.records.length > 20, `${expected.records.length} results`);
      if (c.lateOutput === true) assert.ok(expected.side.length > 0, 'some events are too late');
      else assert.equal(expected.side.length, 0);
    });

    for (const [from, to, at] of restores) {
      it(`crash after a checkpoint at record ${at}, restore ${from} → ${to}: the same results`, async () => {
        const result = await runScenario({ ...scenario, parallelism: from, checkpointAfter: at, restoreParallelism: to, lostAfterCheckpoint: 30 });
        assert.deepEqual(sortedRecords(result.records), expected.records);
        assert.deepEqual(sortedRecords(result.side), expected.side);
      });
    }

    it('stop with a savepoint and resume (no records lost): the same results', async () => {
      const result = await runScenario({ ...scenario, parallelism: 2, checkpointAfter: 250, restoreParallelism: 2 });
      assert.deepEqual(sortedRecords(result.records), expected.records);
      assert.deepEqual(sortedRecords(result.side), expected.side);
    });
  });
}

describe('the watermark is part of the checkpoint', () => {
  const main = windowJob((k) => k.window(TumblingEventTimeWindows.of(10)).sideOutputLateData(LATE).reduce(sumEvents));

  it('a record that was late before the checkpoint is late after the restore, before any new watermark', async () => {
    const group = await windowStarter(main)(2, new ManualProcessingTimeScheduler());
    new WatermarkedInput(WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.ts))
      .feed(group, [ev('a', 1, 1), ev('b', 2, 2), ev('a', 25, 4)]);
    assert.equal(group.output.records.length, 2, '[0, 10) fired for a and b at watermark 24');
    const checkpoint = await group.snapshot(1);
    await group.close();

    const restored = await windowStarter(main)(1, new ManualProcessingTimeScheduler(), checkpoint);
    restored.element(ev('a', 3, 8), 3);
    restored.element(ev('b', 26, 16), 26);
    restored.watermark(5);
    assert.deepEqual(restored.output.watermarks, [], 'a watermark behind the restored one is not forwarded');
    restored.watermark(MAX_WATERMARK);
    assert.deepEqual(restored.sideOutput.records, [{ tag: 'late', value: ev('a', 3, 8), timestamp: 3 }]);
    assert.deepEqual(restored.output.values().sort((x, y) => (x as Event).key.localeCompare((y as Event).key)), [ev('a', 25, 4), ev('b', 26, 16)]);
    await restored.close();
  });

  it('after stop --drain (end-of-time watermark), a resumed job starts event time afresh', async () => {
    const group = await windowStarter(main)(1, new ManualProcessingTimeScheduler());
    group.element(ev('a', 1, 1), 1);
    group.watermark(MAX_WATERMARK);
    assert.equal(group.output.records.length, 1);
    const savepoint = await group.snapshot(2);
    await group.close();

    const resumed = await windowStarter(main)(2, new ManualProcessingTimeScheduler(), savepoint);
    resumed.element(ev('a', 5, 2), 5);
    resumed.watermark(MAX_WATERMARK);
    assert.deepEqual(resumed.output.values(), [ev('a', 5, 2)]);
    assert.deepEqual(resumed.sideOutput.records, []);
    await resumed.close();
  });
});
