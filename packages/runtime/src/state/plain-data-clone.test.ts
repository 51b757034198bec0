import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clonePlainData } from './plain-data-clone.js';

describe('clonePlainData', () => {
  it('returns primitives as they are', () => {
    for (const v of [1, -0, 'a', true, null, undefined, 5n]) assert.ok(Object.is(clonePlainData(v), v));
  });

  it('deep-copies arrays, objects, maps, sets, dates and byte arrays', () => {
    const original = {
      list: [1, { a: [2] }],
      map: new Map([['k', { v: 1 }]]),
      set: new Set([[1]]),
      date: new Date(5),
      bytes: new Uint8Array([1]),
      buffer: Buffer.from('x'),
    };
    const copy = clonePlainData(original);
    assert.deepEqual(copy, original);
    (copy.list[1] as { a: number[] }).a.push(3);
    copy.map.get('k')!.v = 2;
    [...copy.set][0]!.push(2);
    copy.date.setTime(6);
    copy.bytes[0] = 9;
    copy.buffer[0] = 0x79;
    assert.deepEqual(original.list, [1, { a: [2] }]);
    assert.equal(original.map.get('k')!.v, 1);
    assert.deepEqual([...original.set][0], [1]);
    assert.equal(original.date.getTime(), 5);
    assert.equal(original.bytes[0], 1);
    assert.equal(original.buffer.toString(), 'x');
    assert.ok(Buffer.isBuffer(copy.buffer));
  });

  it('keeps a "__proto__" own property and null prototypes', () => {
    const weird = JSON.parse('{"__proto__": {"x": 1}}') as object;
    const copy = clonePlainData(weird);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value, { x: 1 });
    const bare = Object.create(null) as Record<string, number>;
    bare.a = 1;
    assert.equal(Object.getPrototypeOf(clonePlainData(bare)), null);
  });

  it('returns class instances as they are', () => {
    class Thing {}
    const thing = new Thing();
    assert.equal(clonePlainData(thing), thing);
  });
});
