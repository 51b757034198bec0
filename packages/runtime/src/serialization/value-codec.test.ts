import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueDecodingError, ValueEncodingError } from './codec-errors.js';
import { decodeValue, encodeValue } from './value-codec.js';

function roundTrip<T>(value: T): T {
  return decodeValue(encodeValue(value)) as T;
}

describe('value codec', () => {
  it('round-trips numbers exactly, including -0, NaN, infinities, floats and every integer width', () => {
    const numbers = [
      0, -0, 1, 127, 128, 255, 256, -1, -32, -33, -128, 65535, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1,
      2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 60, 1.5, -0.25, 0.1 + 0.2, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE,
      Number.EPSILON, NaN, Infinity, -Infinity,
    ];
    for (const n of numbers) assert.ok(Object.is(roundTrip(n), n), `number ${n} (Object.is)`);
  });

  it('encodes small integers in one byte and -0 as a float', () => {
    assert.equal(encodeValue(5).length, 1);
    assert.equal(encodeValue(-7).length, 1);
    assert.equal(encodeValue(-0).length, 9);
    assert.equal(encodeValue(1000).length, 5);
  });

  it('round-trips strings: empty, ASCII at every length boundary, non-ASCII, astral, long', () => {
    const strings = ['', 'a', 'x'.repeat(16), 'x'.repeat(17), 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(85), 'x'.repeat(86),
      'x'.repeat(100_000), 'héllo wörld', 'é'.repeat(31), 'é'.repeat(90), '日本語のテキスト', '😀🎉', 'a😀'.repeat(40),
      '\u0000nul', 'tab\tnewline\n', '\u007f\u0080\u07ff\u0800\uffff'];
    for (const s of strings) assert.equal(roundTrip(s), s, `string of length ${s.length}`);
  });

  it('replaces lone surrogates with U+FFFD, as UTF-8 requires', () => {
    assert.equal(roundTrip('a\ud800b'), 'a\ufffdb');
    assert.equal(roundTrip('\udc00'), '\ufffd');
    assert.equal(roundTrip('x'.repeat(70) + '\ud800'), 'x'.repeat(70) + '\ufffd');
  });

  it('round-trips booleans, null and undefined', () => {
    for (const v of [true, false, null, undefined]) assert.equal(roundTrip(v), v);
  });

  it('round-trips bigint of any size and sign', () => {
    const values = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n, 2n ** 200n + 12345n, -(3n ** 150n)];
    for (const v of values) assert.equal(roundTrip(v), v);
  });

  it('round-trips Date, including an invalid date', () => {
    const d = new Date('2024-02-29T12:34:56.789Z');
    const back = roundTrip(d);
    assert.ok(back instanceof Date);
    assert.equal(back.getTime(), d.getTime());
    assert.ok(Number.isNaN(roundTrip(new Date(Number.NaN)).getTime()));
  });

  it('round-trips arrays (short and long, sparse holes become undefined) and plain objects', () => {
    assert.deepEqual(roundTrip([]), []);
    assert.deepEqual(roundTrip([1, 'a', null]), [1, 'a', null]);
    const long = Array.from({ length: 1000 }, (_, i) => i);
    assert.deepEqual(roundTrip(long), long);
    // eslint-disable-next-line no-sparse-arrays
    assert.deepEqual(roundTrip([1, , 3]), [1, undefined, 3]);
    assert.deepEqual(roundTrip({}), {});
    assert.deepEqual(roundTrip({ a: 1, b: 'two', c: undefined }), { a: 1, b: 'two', c: undefined });
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    assert.deepEqual(roundTrip(wide), wide);
  });

  it('keeps key order, integer-like keys and a "__proto__" own property', () => {
    const value = { z: 1, a: 2, 10: 'ten', 2: 'two' };
    assert.deepEqual(Object.keys(roundTrip(value)), Object.keys(value));
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const back = roundTrip(proto);
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__', 'x']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, { polluted: true });
  });

  it('round-trips objects without prototype as plain objects', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    assert.deepEqual({ ...roundTrip(bare) }, { a: 1 });
  });

  it('round-trips Map, Set, Uint8Array and Buffer', () => {
    const map = new Map<unknown, unknown>([[1, 'one'], ['k', { v: [1, 2] }], [[1, 2], null]]);
    assert.deepEqual(roundTrip(map), map);
    const set = new Set([1, 'a', 2n]);
    assert.deepEqual(roundTrip(set), set);
    const bytes = new Uint8Array([0, 1, 255]);
    const backBytes = roundTrip(bytes);
    assert.ok(backBytes instanceof Uint8Array && !Buffer.isBuffer(backBytes));
    assert.deepEqual([...backBytes], [0, 1, 255]);
    const buffer = Buffer.from('hello');
    const backBuffer = roundTrip(buffer);
    assert.ok(Buffer.isBuffer(backBuffer));
    assert.equal(backBuffer.toString(), 'hello');
  });

  it('round-trips nested combinations with repeated shapes', () => {
    const value = {
      users: [
        { id: 1, name: 'ann', tags: ['a'], joined: new Date(0), score: -0 },
        { id: 2, name: 'bob', tags: [], joined: new Date(1), score: 1.5 },
        { id: 3, name: 'cé', tags: ['x', 'y'], joined: new Date(2), score: NaN },
      ],
      meta: { total: 3n, nested: { deeper: { deepest: [[[undefined, null, true]]] } } },
      lookup: new Map([['ann', { id: 1, name: 'ann' }]]),
    };
    const back = roundTrip(value);
    assert.deepEqual(back, value);
    assert.ok(Object.is(back.users[0]!.score, -0));
  });

  it('rejects values that are not plain data with ValueEncodingError', () => {
    class Point { constructor(readonly x: number) {} }
    assert.throws(() => encodeValue(() => 1), ValueEncodingError);
    assert.throws(() => encodeValue(Symbol('s')), ValueEncodingError);
    assert.throws(() => encodeValue(new Point(1)), (e: Error) => e instanceof ValueEncodingError && /Point/.test(e.message));
    assert.throws(() => encodeValue(new Float64Array(2)), ValueEncodingError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => encodeValue(cyclic), /nested deeper/);
  });

  it('rejects truncated input, unknown tags and trailing bytes with ValueDecodingError', () => {
    const bytes = encodeValue({ a: 'hello world', b: [1, 2, 3.5] });
    for (let cut = 0; cut < bytes.length; cut++) {
      assert.throws(() => decodeValue(bytes.subarray(0, cut)), ValueDecodingError, `cut at ${cut}`);
    }
    assert.throws(() => decodeValue(Buffer.from([0xc5])), /Unknown value tag 0xc5/);
    assert.throws(() => decodeValue(Buffer.from([0x01, 0x02])), /trailing/);
    assert.throws(() => decodeValue(Buffer.from([0x9a, 0x00])), /Undefined object shape 0/);
  });

  it('refuses impossible lengths before allocating', () => {
    // An array claiming 2^31 elements in a 6-byte input.
    assert.throws(() => decodeValue(Buffer.from([0x98, 0x80, 0x80, 0x80, 0x80, 0x08])), ValueDecodingError);
  });
});
