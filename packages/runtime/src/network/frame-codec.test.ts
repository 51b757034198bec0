import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, FrameEncoder } from './frame-codec.js';
import type { StreamItem } from './stream-item.js';
import { END_OF_PARTITION } from './stream-item.js';

test('records, timestamps and events survive a round trip in order', () => {
  const enc = new FrameEncoder();
  const dec = new FrameDecoder();
  const items: StreamItem[] = [
    { kind: 'records', values: [1, 'two', [3, 'x'], { a: 1n, d: new Date(5) }, null, true], timestamps: undefined },
    { kind: 'records', values: [{ k: 'a', n: 1 }, { k: 'b', n: 2 }], timestamps: [10, Number.NEGATIVE_INFINITY] },
    { kind: 'records', values: ['x', 'y', 'z'], timestamps: undefined, keyGroups: [0, 127, 32767] },
    { kind: 'records', values: [['k', 1]], timestamps: [5], keyGroups: [64] },
    { kind: 'barrier', checkpointId: 7, timestamp: 1234, isSavepoint: true, stopSources: false, targetLocation: 's3://b/sp/savepoint-abcdef-0123456789ab' },
    { kind: 'watermark', timestamp: 99 },
    { kind: 'watermark-status', idle: true },
    { kind: 'records', values: [{ k: 'c', n: 3 }], timestamps: undefined },
    { kind: 'watermark-status', idle: false },
    END_OF_PARTITION,
  ];
  const decoded = items.map((i) => dec.decode(enc.encode(i)));
  assert.deepEqual(decoded, items);
});
