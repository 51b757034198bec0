import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SystemClock } from './clock.js';
import { SystemTimerService } from './timer-service.js';

describe('SystemTimerService', () => {
  it('runs a timeout and stops a cancelled interval', async () => {
    const timers = new SystemTimerService();
    const ran = await new Promise<boolean>((resolve) => timers.setTimeout(() => resolve(true), 1));
    assert.equal(ran, true);

    let ticks = 0;
    const interval = timers.setInterval(() => ticks++, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    interval.cancel();
    const after = ticks;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(after > 0);
    assert.equal(ticks, after);
  });

  it('tells the wall-clock time', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    assert.ok(now >= before && now <= Date.now());
  });
});
