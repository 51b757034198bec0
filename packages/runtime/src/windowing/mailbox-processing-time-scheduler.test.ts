import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMEOUT_MS, MailboxProcessingTimeScheduler } from './mailbox-processing-time-scheduler.js';

/** A mailbox stand-in: posted actions wait until `drain()`, as they wait for the task loop. */
function fakeMailbox() {
  const actions: Array<() => void> = [];
  return {
    post: (action: () => void) => { actions.push(action); },
    drain: () => { while (actions.length > 0) actions.shift()!(); },
    get size() { return actions.length; },
  };
}

describe('MailboxProcessingTimeScheduler', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000 }));
  afterEach(() => mock.timers.reset());

  it('posts a callback to the mailbox when its time comes; it runs only when the task drains the mailbox', () => {
    const mailbox = fakeMailbox();
    const scheduler = new MailboxProcessingTimeScheduler(mailbox.post, Date.now);
    const ran: number[] = [];
    scheduler.schedule(1_100, () => ran.push(scheduler.now()));
    scheduler.schedule(900, () => ran.push(-1));
    assert.equal(scheduler.pendingCount, 2);
    mock.timers.tick(0);
    assert.equal(mailbox.size, 1, 'a past time is posted at once (never synchronously in schedule)');
    mock.timers.tick(99);
    assert.equal(mailbox.size, 1);
    mock.timers.tick(1);
    assert.equal(mailbox.size, 2);
    assert.deepEqual(ran, [], 'nothing runs outside the task loop');
    mailbox.drain();
    assert.deepEqual(ran, [-1, 1_100]);
    assert.equal(scheduler.pendingCount, 0);
  });

  it('never runs a cancelled callback, even one already posted', () => {
    const mailbox = fakeMailbox();
    const scheduler = new MailboxProcessingTimeScheduler(mailbox.post, Date.now);
    let ran = 0;
    const early = scheduler.schedule(1_010, () => ran++);
    const posted = scheduler.schedule(1_020, () => ran++);
    early.cancel();
    mock.timers.tick(20);
    assert.equal(mailbox.size, 1);
    posted.cancel();
    mailbox.drain();
    assert.equal(ran, 0);
    assert.equal(scheduler.pendingCount, 0);
  });

  it('chains waits longer than setTimeout allows', () => {
    const mailbox = fakeMailbox();
    const scheduler = new MailboxProcessingTimeScheduler(mailbox.post, Date.now);
    let ran = 0;
    scheduler.schedule(1_000 + MAX_TIMEOUT_MS + 5_000, () => ran++);
    mock.timers.tick(MAX_TIMEOUT_MS);
    mailbox.drain();
    assert.equal(ran, 0, 'not due yet after the first (clamped) wait');
    mock.timers.tick(5_000);
    mailbox.drain();
    assert.equal(ran, 1);
  });

  it('drops everything once quiesced (task end)', () => {
    const mailbox = fakeMailbox();
    const scheduler = new MailboxProcessingTimeScheduler(mailbox.post, Date.now);
    let ran = 0;
    scheduler.schedule(1_001, () => ran++);
    mock.timers.tick(1);
    scheduler.schedule(2_000, () => ran++);
    scheduler.quiesce();
    scheduler.schedule(1_002, () => ran++);
    mock.timers.tick(5_000);
    mailbox.drain();
    assert.equal(ran, 0);
    assert.equal(scheduler.pendingCount, 0);
  });
});
