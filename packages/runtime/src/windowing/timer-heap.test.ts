import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimerEntry, TimerHeap } from './timer-heap.js';

let seq = 0;
const entry = (timestamp: number, key = 'k'): TimerEntry<string> =>
  new TimerEntry(timestamp, key, 'ns', 'ns', `${timestamp}/${key}/${seq}`, seq++);

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('TimerHeap', () => {
  it('polls by timestamp, equal timestamps in registration order', () => {
    const heap = new TimerHeap<string>();
    const a = entry(5, 'a');
    const b = entry(1, 'b');
    const c = entry(5, 'c');
    const d = entry(3, 'd');
    for (const e of [a, b, c, d]) heap.add(e);
    assert.equal(heap.size, 4);
    assert.equal(heap.peek(), b);
    assert.deepEqual([heap.poll(), heap.poll(), heap.poll(), heap.poll()], [b, d, a, c]);
    assert.equal(heap.poll(), undefined);
    assert.equal(a.heapIndex, -1, 'a polled entry leaves the heap');
  });

  it('removes any entry and keeps the heap order (against a sorted reference)', () => {
    const next = random(42);
    const heap = new TimerHeap<string>();
    let reference: TimerEntry<string>[] = [];
    for (let step = 0; step < 5000; step++) {
      const r = next();
      if (r < 0.5 || reference.length === 0) {
        const e = entry(Math.floor(next() * 100));
        heap.add(e);
        reference.push(e);
      } else if (r < 0.75) {
        const victim = reference[Math.floor(next() * reference.length)]!;
        assert.equal(heap.remove(victim), true);
        assert.equal(heap.remove(victim), false, 'removing twice is refused');
        reference = reference.filter((e) => e !== victim);
      } else {
        reference.sort((x, y) => x.timestamp - y.timestamp || x.seq - y.seq);
        assert.equal(heap.poll(), reference.shift());
      }
      assert.equal(heap.size, reference.length);
    }
  });

  it('rebuilds from a list in heap order and refuses an entry that is already in a heap', () => {
    const heap = new TimerHeap<string>();
    const entries = [9, 4, 7, 1, 8, 2].map((t) => entry(t));
    heap.add(entry(100));
    heap.rebuild(entries);
    assert.equal(heap.size, 6);
    assert.throws(() => heap.add(entries[0]!), /already in a heap/);
    const order: number[] = [];
    for (let e = heap.poll(); e !== undefined; e = heap.poll()) order.push(e.timestamp);
    assert.deepEqual(order, [1, 2, 4, 7, 8, 9]);
  });
});
