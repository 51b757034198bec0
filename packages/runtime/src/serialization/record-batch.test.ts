import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueDecodingError, ValueEncodingError } from './codec-errors.js';
import { RecordBatchDecoder, decodeRecordBatch } from './record-batch-decoder.js';
import { RecordBatchEncoder, encodeRecordBatch } from './record-batch-encoder.js';
import { ShapeReaderCache } from './shape-reader-cache.js';

const records = [
  ['word', 1],
  ['wörd', -0],
  { id: 1, name: 'a', score: 0.5 },
  { id: 2, name: 'b', score: NaN },
  { name: 'c', id: 3, score: 1 },
  [{ id: 4, name: 'd', score: 2 }],
  12345678901234567890n,
  new Date(5),
  undefined,
  null,
  'plain',
];

describe('record batches', () => {
  it('round-trip every record in order, with and without a shape cache', () => {
    const batch = encodeRecordBatch(records);
    assert.deepEqual(decodeRecordBatch(batch), records);
    assert.deepEqual(new RecordBatchDecoder().decode(batch), records);
    const seen: unknown[] = [];
    new RecordBatchDecoder().forEach(batch, (r) => seen.push(r));
    assert.deepEqual(seen, records);
  });

  it('counts records and bytes, and starts afresh after finish', () => {
    const encoder = new RecordBatchEncoder(64);
    assert.equal(encoder.count, 0);
    const empty = encoder.byteLength;
    encoder.add({ k: 'x', v: 1 });
    encoder.add({ k: 'y', v: 2 });
    assert.equal(encoder.count, 2);
    assert.ok(encoder.byteLength > empty);
    const expectedLength = encoder.byteLength;
    const first = encoder.finish();
    assert.equal(first.length, expectedLength);
    assert.equal(encoder.count, 0);
    assert.equal(encoder.byteLength, empty);
    encoder.add({ k: 'z', v: 3 });
    const second = encoder.finish();
    // The second batch defines its shapes itself: it decodes without the first.
    assert.deepEqual(decodeRecordBatch(second), [{ k: 'z', v: 3 }]);
    assert.deepEqual(decodeRecordBatch(first), [{ k: 'x', v: 1 }, { k: 'y', v: 2 }]);
  });

  it('finish leaves headroom for a frame header when asked', () => {
    const encoder = new RecordBatchEncoder();
    encoder.add(['a', 1]);
    const plainLength = encoder.byteLength;
    const framed = encoder.finish(10);
    assert.equal(framed.length, plainLength + 10);
    assert.deepEqual(decodeRecordBatch(framed.subarray(10)), [['a', 1]]);
  });

  it('finish returns a copy that later batches do not overwrite', () => {
    const encoder = new RecordBatchEncoder();
    encoder.add('first');
    const first = encoder.finish();
    encoder.add('second, longer');
    encoder.finish();
    assert.deepEqual(decodeRecordBatch(first), ['first']);
  });

  it('leaves the batch intact when a record fails to encode halfway', () => {
    const encoder = new RecordBatchEncoder();
    encoder.add({ a: 1 });
    assert.throws(() => encoder.add({ fresh: 1, shape: [{ inner: 1 }, () => 0] }), ValueEncodingError);
    assert.equal(encoder.count, 1);
    encoder.add({ fresh: 2, shape: [{ inner: 2 }] });
    encoder.add({ a: 3 });
    assert.deepEqual(decodeRecordBatch(encoder.finish()), [{ a: 1 }, { fresh: 2, shape: [{ inner: 2 }] }, { a: 3 }]);
  });

  it('reuses compiled shapes across batches when decoding with one decoder', () => {
    const cache = new ShapeReaderCache();
    const decoder = new RecordBatchDecoder(cache);
    for (let i = 0; i < 3; i++) decoder.decode(encodeRecordBatch([{ x: i, y: 'y' }, { p: 1 }]));
    assert.equal(cache.size, 2);
  });

  it('builds objects generically once the cache is full, with the same result', () => {
    const cache = new ShapeReaderCache(1);
    const batch = encodeRecordBatch([{ a: 1 }, { b: 2 }, { a: 3 }, { b: 4 }]);
    assert.deepEqual(new RecordBatchDecoder(cache).decode(batch), [{ a: 1 }, { b: 2 }, { a: 3 }, { b: 4 }]);
    assert.equal(cache.size, 1);
  });

  it('rejects foreign versions, impossible counts, truncation and trailing bytes', () => {
    const batch = encodeRecordBatch(['a', 'b']);
    const wrongVersion = Buffer.from(batch);
    wrongVersion[0] = 9;
    assert.throws(() => decodeRecordBatch(wrongVersion), /Unsupported record batch version 9/);
    const hugeCount = Buffer.from(batch);
    hugeCount.writeUInt32LE(1_000_000, 1);
    assert.throws(() => decodeRecordBatch(hugeCount), /claims 1000000 records/);
    assert.throws(() => decodeRecordBatch(batch.subarray(0, batch.length - 1)), ValueDecodingError);
    assert.throws(() => decodeRecordBatch(Buffer.concat([batch, Buffer.from([0])])), /trailing/);
    assert.throws(() => decodeRecordBatch(Buffer.alloc(3)), /at least 5 bytes/);
  });
});
