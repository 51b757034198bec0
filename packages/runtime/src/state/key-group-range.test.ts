import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyGroupRange } from './key-group-range.js';

describe('KeyGroupRange', () => {
  it('is inclusive at both ends', () => {
    const range = new KeyGroupRange(3, 7);
    assert.equal(range.size, 5);
    assert.ok(range.contains(3) && range.contains(7));
    assert.ok(!range.contains(2) && !range.contains(8));
    assert.deepEqual([...range], [3, 4, 5, 6, 7]);
  });

  it('intersects, giving EMPTY when disjoint', () => {
    const range = new KeyGroupRange(10, 20);
    assert.ok(range.intersect({ start: 15, end: 30 }).equals({ start: 15, end: 20 }));
    assert.ok(range.intersect({ start: 0, end: 10 }).equals({ start: 10, end: 10 }));
    const none = range.intersect({ start: 21, end: 40 });
    assert.ok(none.isEmpty);
    assert.equal(none.size, 0);
    assert.equal(none, KeyGroupRange.EMPTY);
    assert.ok(!KeyGroupRange.EMPTY.contains(0));
  });

  it('validates its bounds and converts from JSON', () => {
    assert.throws(() => new KeyGroupRange(-1, 3), RangeError);
    assert.throws(() => new KeyGroupRange(5, 3), RangeError);
    assert.throws(() => new KeyGroupRange(1.5, 3), RangeError);
    const parsed = KeyGroupRange.of(JSON.parse(JSON.stringify(new KeyGroupRange(4, 9))) as { start: number; end: number });
    assert.ok(parsed instanceof KeyGroupRange);
    assert.ok(parsed.equals(new KeyGroupRange(4, 9)));
    assert.equal(KeyGroupRange.of({ start: 3, end: 2 }), KeyGroupRange.EMPTY);
  });
});
