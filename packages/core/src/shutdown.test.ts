import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createSilentLogger } from './logging/create-logger.js';
import { installShutdownHandler } from './shutdown.js';
import type { ShutdownHandlerOptions } from './shutdown.js';
import { ManualTimerService } from './time/manual-timer-service.js';

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A shutdown handler wired to fakes: signals from an EventEmitter, timers by hand, exit codes recorded. */
function setup(onShutdown: ShutdownHandlerOptions['onShutdown']) {
  const signals = new EventEmitter();
  const timers = new ManualTimerService();
  const exits: number[] = [];
  const events: string[] = [];
  const handler = installShutdownHandler({
    logger: createSilentLogger(),
    onShutdown,
    timeoutMs: 5_000,
    exit: (code) => {
      events.push(`exit ${code}`);
      exits.push(code);
    },
    flush: () => events.push('flush'),
    closeLogs: async () => {
      events.push('closeLogs');
    },
    signalSource: signals,
    timers,
  });
  return { signals, timers, exits, events, handler };
}

describe('installShutdownHandler', () => {
  it('runs onShutdown once on SIGTERM, then flushes and exits 0', async () => {
    const reasons: string[] = [];
    const { signals, exits, events } = setup(async (reason) => {
      reasons.push(reason);
    });
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    assert.deepEqual(reasons, ['SIGTERM']);
    assert.deepEqual(events, ['closeLogs', 'flush', 'exit 0']);
    assert.equal(signals.listenerCount('SIGTERM'), 0);
    assert.equal(signals.listenerCount('SIGINT'), 0);
    assert.deepEqual(exits, [0]);
  });

  it('forces exit 1 on a second signal', async () => {
    let calls = 0;
    const { signals, exits, events } = setup(() => {
      calls++;
      return new Promise(() => {});
    });
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    assert.equal(calls, 1);
    assert.deepEqual(exits, [1]);
    assert.deepEqual(events, ['flush', 'exit 1']);
  });

  it('forces exit 1 when onShutdown outlives the timeout', async () => {
    const { signals, timers, exits } = setup(() => new Promise(() => {}));
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    timers.advance(4_999);
    assert.deepEqual(exits, []);
    timers.advance(1);
    assert.deepEqual(exits, [1]);
  });

  it('exits 1 when onShutdown fails, and cancels the deadline', async () => {
    const { signals, timers, exits } = setup(async () => {
      throw new Error('socket would not close');
    });
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    assert.deepEqual(exits, [1]);
    assert.equal(timers.pendingCount, 0);
  });

  it('can be started without a signal and uninstalled', async () => {
    const reasons: string[] = [];
    const first = setup(async (reason) => {
      reasons.push(reason);
    });
    first.handler.shutdown('parent process exited');
    await settle();
    assert.deepEqual(reasons, ['parent process exited']);
    assert.deepEqual(first.exits, [0]);

    const second = setup(async () => {});
    second.handler.uninstall();
    assert.equal(second.signals.listenerCount('SIGTERM'), 0);
  });
});
