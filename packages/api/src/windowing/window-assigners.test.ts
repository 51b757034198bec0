import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows, TumblingProcessingTimeWindows,
} from './window-assigners.js';
import { TimeWindow } from './time-window.js';
import { Time } from './time.js';

const spans = (ws: TimeWindow[]) => ws.map((w) => [w.getStart(), w.getEnd()]);

test('Time converts to milliseconds', () => {
  assert.equal(Time.milliseconds(7), 7);
  assert.equal(Time.seconds(5), 5000);
  assert.equal(Time.minutes(2), 120_000);
  assert.equal(Time.hours(1), 3_600_000);
  assert.equal(Time.days(1), 86_400_000);
  assert.throws(() => Time.seconds(-1), /Time\.seconds\(\) needs a non-negative number/);
});

test('tumbling windows align to the epoch plus offset, also for negative timestamps', () => {
  const w = TumblingEventTimeWindows.of(Time.seconds(5));
  assert.deepEqual(spans(w.assignWindows(7_000)), [[5_000, 10_000]]);
  assert.deepEqual(spans(w.assignWindows(-1)), [[-5_000, 0]]);
  assert.deepEqual(spans(TumblingEventTimeWindows.of(10, 3).assignWindows(12)), [[3, 13]]);
  assert.equal(w.isEventTime(), true);
  assert.equal(TumblingProcessingTimeWindows.of(5).isEventTime(), false);
  assert.equal(w.toString(), 'TumblingEventTimeWindows(5000)');
  assert.throws(() => TumblingEventTimeWindows.of(10, 10), /TumblingEventTimeWindows parameters must satisfy abs\(offset\) < size/);
});

test('sliding windows give size/slide windows per element', () => {
  const w = SlidingEventTimeWindows.of(10, 5);
  assert.deepEqual(spans(w.assignWindows(12)), [[10, 20], [5, 15]]);
  assert.equal(w.toString(), 'SlidingEventTimeWindows(10, 5)');
});

test('session windows start at the element and merge by cover', () => {
  const w = EventTimeSessionWindows.withGap(100);
  assert.equal(w.isMerging(), true);
  const [a] = w.assignWindows(1000);
  const [b] = w.assignWindows(1050);
  assert.ok(a!.intersects(b!));
  assert.deepEqual(spans([a!.cover(b!)]), [[1000, 1150]]);
  assert.equal(a!.maxTimestamp(), 1099);
});
