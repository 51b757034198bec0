import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';

describe('ManualProcessingTimeScheduler', () => {
  it('runs due callbacks in time order with the clock at each callback time, including ones scheduled meanwhile', () => {
    const scheduler = new ManualProcessingTimeScheduler(100);
    const log: string[] = [];
    scheduler.schedule(300, () => log.push(`c@${scheduler.now()}`));
    scheduler.schedule(200, () => {
      log.push(`a@${scheduler.now()}`);
      scheduler.schedule(250, () => log.push(`nested@${scheduler.now()}`));
    });
    scheduler.schedule(200, () => log.push(`b@${scheduler.now()}`));
    scheduler.schedule(900, () => log.push('late'));
    assert.equal(scheduler.nextScheduledTime(), 200);
    assert.equal(scheduler.advanceTo(300), 4);
    assert.deepEqual(log, ['a@200', 'b@200', 'nested@250', 'c@300']);
    assert.equal(scheduler.now(), 300);
    assert.equal(scheduler.pendingCount, 1);
  });

  it('never runs a callback inside schedule() or after cancel(), and refuses to go back in time', () => {
    const scheduler = new ManualProcessingTimeScheduler(50);
    let ran = 0;
    scheduler.schedule(10, () => ran++);
    assert.equal(ran, 0, 'a past time still waits for the next advance');
    const cancelled = scheduler.schedule(60, () => { ran += 100; });
    cancelled.cancel();
    scheduler.advanceBy(20);
    assert.equal(ran, 1);
    assert.equal(scheduler.pendingCount, 0);
    assert.throws(() => scheduler.advanceTo(10), /cannot go back/);
  });
});
