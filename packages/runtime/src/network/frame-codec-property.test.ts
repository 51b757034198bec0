import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, FrameEncoder } from './frame-codec.js';
import type { CheckpointBarrier, StreamItem } from './stream-item.js';
import { END_OF_PARTITION, NO_TIMESTAMP } from './stream-item.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const strings = ['', 'a', 'key', 'ünïcødé 😀', 'x'.repeat(300), 'line\nbreak', '\u0000nul'];
  const numbers = [0, -0, 1, -1, 127, 128, 255, 256, 65535, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1, 0.5, Math.PI, -1e-300, 1e300, NaN, Infinity, -Infinity];

  function value(depth: number): unknown {
    switch (int(depth > 2 ? 8 : 12)) {
      case 0: return pick(numbers);
      case 1: return rnd() * 1e6 - 5e5;
      case 2: return int(1_000_000) - 500_000;
      case 3: return pick(strings) + String(int(100));
      case 4: return rnd() < 0.5;
      case 5: return pick([null, undefined]);
      case 6: return BigInt(int(1_000_000)) * (rnd() < 0.5 ? -1n : 1n) * 10n ** BigInt(int(30));
      case 7: return new Date(int(2 ** 40));
      case 8: return Array.from({ length: int(5) }, () => value(depth + 1));
      case 9: {
        // Repeated shapes (the codec learns them) and fresh ones.
        if (rnd() < 0.6) return { k: pick(strings), n: value(depth + 1), ts: int(1000) };
        const o: Record<string, unknown> = {};
        for (let i = 0; i < int(5); i++) o[`f${int(8)}`] = value(depth + 1);
        return o;
      }
      case 10: return new Map<unknown, unknown>([[pick(strings), value(depth + 1)], [int(10), value(depth + 1)]]);
      default: return new Uint8Array(Array.from({ length: int(20) }, () => int(256)));
    }
  }

  function timestamp(): number {
    return pick([NO_TIMESTAMP, 0, int(2 ** 45), -int(1000), 1.5, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
  }

  function item(): StreamItem {
    const r = rnd();
    if (r < 0.7) {
      const n = 1 + int(r < 0.05 ? 2000 : 40);
      const values = Array.from({ length: n }, () => value(0));
      return { kind: 'records', values, timestamps: rnd() < 0.5 ? undefined : values.map(() => timestamp()) };
    }
    if (r < 0.82) return { kind: 'watermark', timestamp: pick([Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, int(2 ** 45), 0]) };
    const barrier: CheckpointBarrier = {
      kind: 'barrier',
      checkpointId: 1 + int(1_000_000),
      timestamp: int(2 ** 45),
      isSavepoint: rnd() < 0.3,
      stopSources: rnd() < 0.2,
      targetLocation: pick(['', 's3://bucket/savepoints/savepoint-1a2b3c-0123456789ab', 'file:///tmp/chk/ünï', 'hdfs://nn:8020/x']),
    };
    return barrier;
  }

  return { item };
}

describe('frame codec, random streams', () => {
  for (const seed of [1, 2, 3, 42, 1234, 99991, 20240601, 7, 13, 2 ** 31 - 1]) {
    it(`a stream of random frames survives a round trip in order (seed ${seed})`, () => {
      const g = generator(seed);
      const items: StreamItem[] = Array.from({ length: 150 }, () => g.item());
      items.push(END_OF_PARTITION);
      // One encoder and one decoder per stream, as on the wire: shapes learnt earlier are reused.
      const enc = new FrameEncoder();
      const dec = new FrameDecoder();
      const frames = items.map((i) => enc.encode(i));
      const decoded = frames.map((f) => dec.decode(Buffer.from(f)));
      assert.equal(decoded.length, items.length);
      for (let i = 0; i < items.length; i++) assert.deepEqual(decoded[i], items[i], `seed ${seed}, item ${i}`);
    });
  }

  it('an item that cannot be encoded leaves the encoder usable for the next frames', () => {
    const enc = new FrameEncoder();
    const dec = new FrameDecoder();
    class Point { constructor(readonly x: number) {} }
    assert.throws(() => enc.encode({ kind: 'records', values: [{ a: 1 }, 'two', new Point(3)], timestamps: undefined }), /Point/);
    const next: StreamItem = { kind: 'records', values: ['after'], timestamps: [5] };
    assert.deepEqual(dec.decode(enc.encode(next)), next);
  });

  it('an unknown frame type is refused', () => {
    assert.throws(() => new FrameDecoder().decode(Buffer.from([9, 0, 0])), /Corrupt data frame: unknown frame type 9/);
  });
});
