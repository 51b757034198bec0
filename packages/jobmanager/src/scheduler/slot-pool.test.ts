import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotPool } from './slot-pool.js';

test('allocation is all-or-nothing and spreads over TaskManagers', () => {
  const pool = new SlotPool();
  pool.addTaskManager('tm-a', 2);
  pool.addTaskManager('tm-b', 2);
  const slots = pool.allocate('job1', 2)!;
  assert.deepEqual(slots.map((s) => s.taskManagerId).sort(), ['tm-a', 'tm-b']);
  assert.equal(pool.freeSlots, 2);
  assert.equal(pool.allocate('job2', 3), undefined);
  assert.equal(pool.freeSlots, 2);
  assert.equal(pool.allocate('job2', 2)!.length, 2);
  assert.equal(pool.freeSlots, 0);
  assert.deepEqual([...pool.removeTaskManager('tm-a')].sort(), ['job1', 'job2']);
  pool.release('job1');
  assert.equal(pool.freeSlots, 1);
  assert.equal(pool.totalSlots, 2);
});
