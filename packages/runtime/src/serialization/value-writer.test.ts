import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueReader } from './value-reader.js';
import { ValueWriter } from './value-writer.js';

describe('ValueWriter and ValueReader', () => {
  it('write and read varuints at every byte width', () => {
    const values = [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 32 - 1];
    const w = new ValueWriter(64);
    for (const v of values) w.writeVarUint(v);
    const r = new ValueReader(w.bytes());
    for (const v of values) assert.equal(r.readVarUint(), v);
    assert.equal(r.remaining, 0);
  });

  it('grows its buffer and keeps earlier bytes', () => {
    const w = new ValueWriter(64);
    const values = Array.from({ length: 500 }, (_, i) => `value-${i}`);
    for (const v of values) w.writeValue(v);
    assert.ok(w.capacity >= w.length);
    const r = new ValueReader(w.bytes());
    for (const v of values) assert.equal(r.readValue(), v);
  });

  it('takeBytes hands the bytes over and continues in a fresh buffer', () => {
    const w = new ValueWriter(64);
    w.writeValue('first');
    const first = w.takeBytes();
    w.writeValue('second');
    assert.equal(new ValueReader(first).readValue(), 'first');
    assert.equal(new ValueReader(w.bytes()).readValue(), 'second');
  });

  it('defines a shape once per scope and references it afterwards', () => {
    const w = new ValueWriter();
    w.writeValue({ alpha: 1, beta: 2 });
    const firstSize = w.length;
    w.writeValue({ alpha: 3, beta: 4 });
    const secondSize = w.length - firstSize;
    assert.ok(secondSize < firstSize / 2, `second object (${secondSize} bytes) reuses the shape of the first (${firstSize})`);
    w.resetShapes();
    const beforeThird = w.length;
    w.writeValue({ alpha: 5, beta: 6 });
    assert.equal(w.length - beforeThird, firstSize, 'a new scope defines the shape again');
    const r = new ValueReader(w.bytes());
    assert.deepEqual(r.readValue(), { alpha: 1, beta: 2 });
    assert.deepEqual(r.readValue(), { alpha: 3, beta: 4 });
    r.resetShapes();
    assert.deepEqual(r.readValue(), { alpha: 5, beta: 6 });
  });

  it('rollback forgets bytes and shapes written after the mark', () => {
    const w = new ValueWriter();
    w.writeValue({ a: 1 });
    const position = w.length;
    const shapes = w.shapeCount;
    w.writeValue({ b: 1 });
    w.writeValue({ c: 1 });
    w.rollback(position, shapes);
    w.writeValue({ c: 2 });
    w.writeValue({ b: 2 });
    const r = new ValueReader(w.bytes());
    assert.deepEqual([r.readValue(), r.readValue(), r.readValue()], [{ a: 1 }, { c: 2 }, { b: 2 }]);
  });

  it('patches a u32 written earlier and refuses positions not yet written', () => {
    const w = new ValueWriter();
    w.writeUint32(0);
    w.writeUint8(7);
    w.patchUint32(0, 0xdeadbeef);
    const r = new ValueReader(w.bytes());
    assert.equal(r.readUint32(), 0xdeadbeef);
    assert.equal(r.readUint8(), 7);
    assert.throws(() => w.patchUint32(2, 1), RangeError);
  });

  it('reads within a sub-range only', () => {
    const w = new ValueWriter();
    w.writeValue('a');
    w.writeValue('b');
    const bytes = w.bytes();
    const r = new ValueReader(bytes, 2, 4);
    assert.equal(r.readValue(), 'b');
    assert.throws(() => new ValueReader(bytes, 0, 4).readBytes(5), /Truncated/);
    assert.throws(() => new ValueReader(bytes, 3, 2), RangeError);
  });
});
