import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Mailbox } from './mailbox.js';

describe('Mailbox', () => {
  it('runs actions in order, including those posted while draining', async () => {
    const m = new Mailbox();
    const log: string[] = [];
    m.post(() => { log.push('a'); m.post(() => { log.push('c'); }); });
    m.post(async () => { await Promise.resolve(); log.push('b'); });
    assert.equal(m.hasMail, true);
    await m.drain();
    assert.deepEqual(log, ['a', 'b', 'c']);
    assert.equal(m.hasMail, false);
  });

  it('whenMail resolves when mail is posted, or at once if some is queued', async () => {
    const m = new Mailbox();
    let woke = false;
    const w = m.whenMail().then(() => { woke = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(woke, false);
    m.post(() => {});
    await w;
    assert.equal(woke, true);
    await m.whenMail(); // mail is still queued
  });

  it('interrupt wakes a waiter without mail', async () => {
    const m = new Mailbox();
    const w = m.whenMail();
    m.interrupt();
    await w;
    assert.equal(m.hasMail, false);
  });

  it('a failing action fails drain and leaves later mail queued', async () => {
    const m = new Mailbox();
    let ran = false;
    m.post(() => { throw new Error('boom'); });
    m.post(() => { ran = true; });
    await assert.rejects(m.drain(), /boom/);
    assert.equal(ran, false);
    assert.equal(m.hasMail, true);
    await m.drain();
    assert.equal(ran, true);
  });
});
