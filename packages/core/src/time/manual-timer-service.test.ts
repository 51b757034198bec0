import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './manual-clock.js';
import { ManualTimerService } from './manual-timer-service.js';

describe('ManualClock', () => {
  it('moves only when told, never backwards', () => {
    const clock = new ManualClock(100);
    assert.equal(clock.now(), 100);
    clock.advance(50);
    assert.equal(clock.now(), 150);
    clock.set(1000);
    assert.equal(clock.now(), 1000);
    assert.throws(() => clock.set(10), RangeError);
  });
});

describe('ManualTimerService', () => {
  it('fires due timers in time order, each at its own time', () => {
    const timers = new ManualTimerService(new ManualClock(0));
    const fired: Array<[string, number]> = [];
    timers.setTimeout(() => fired.push(['b', timers.clock.now()]), 200);
    timers.setTimeout(() => fired.push(['a', timers.clock.now()]), 100);
    timers.setTimeout(() => fired.push(['c', timers.clock.now()]), 300);
    timers.advance(250);
    assert.deepEqual(fired, [['a', 100], ['b', 200]]);
    assert.equal(timers.clock.now(), 250);
    timers.advance(50);
    assert.deepEqual(fired.at(-1), ['c', 300]);
    assert.equal(timers.pendingCount, 0);
  });

  it('fires timers due at the same time in the order they were scheduled', () => {
    const timers = new ManualTimerService();
    const fired: string[] = [];
    timers.setTimeout(() => fired.push('first'), 10);
    timers.setTimeout(() => fired.push('second'), 10);
    timers.advance(10);
    assert.deepEqual(fired, ['first', 'second']);
  });

  it('repeats intervals until cancelled', () => {
    const timers = new ManualTimerService();
    const ticks: number[] = [];
    const interval = timers.setInterval(() => ticks.push(timers.clock.now()), 100);
    timers.advance(350);
    assert.deepEqual(ticks, [100, 200, 300]);
    interval.cancel();
    timers.advance(1000);
    assert.deepEqual(ticks, [100, 200, 300]);
    assert.equal(timers.pendingCount, 0);
  });

  it('does not fire a cancelled timeout', () => {
    const timers = new ManualTimerService();
    let fired = false;
    const timeout = timers.setTimeout(() => (fired = true), 10);
    timeout.cancel();
    timeout.cancel();
    timers.advance(100);
    assert.equal(fired, false);
  });

  it('runs timers scheduled by a callback when they fall due in the same advance', () => {
    const timers = new ManualTimerService();
    const fired: number[] = [];
    timers.setTimeout(() => {
      fired.push(timers.clock.now());
      timers.setTimeout(() => fired.push(timers.clock.now()), 30);
    }, 50);
    timers.advance(100);
    assert.deepEqual(fired, [50, 80]);
  });

  it('lets a callback cancel a timer that is due later in the same advance', () => {
    const timers = new ManualTimerService();
    const fired: string[] = [];
    const later = timers.setTimeout(() => fired.push('later'), 20);
    timers.setTimeout(() => {
      fired.push('early');
      later.cancel();
    }, 10);
    timers.advance(30);
    assert.deepEqual(fired, ['early']);
  });

  it('reports the next due time and runs timers after the clock is moved directly', () => {
    const clock = new ManualClock(1000);
    const timers = new ManualTimerService(clock);
    let fired = 0;
    timers.setTimeout(() => fired++, 500);
    assert.equal(timers.nextDueTime(), 1500);
    clock.advance(600);
    assert.equal(fired, 0);
    timers.runDue();
    assert.equal(fired, 1);
    assert.equal(timers.nextDueTime(), undefined);
  });

  it('rejects going back in time', () => {
    assert.throws(() => new ManualTimerService().advance(-1), RangeError);
  });
});
