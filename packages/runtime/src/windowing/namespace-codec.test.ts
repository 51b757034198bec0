import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimeWindow } from '@tsflink/api';
import { TimeWindowCodec, VOID_NAMESPACE, VOID_NAMESPACE_CODEC } from './namespace-codec.js';

describe('namespace codecs', () => {
  it('encode time windows as start:end and decode them exactly, negative and fractional bounds included', () => {
    const codec = new TimeWindowCodec();
    for (const [start, end] of [[0, 10], [-5000, 0], [-15, -5], [1.5, 2.25], [1_700_000_000_000, 1_700_000_005_000]] as const) {
      const key = codec.encode(new TimeWindow(start, end));
      assert.equal(key, `${start}:${end}`);
      assert.ok(codec.decode(key).equals(new TimeWindow(start, end)));
    }
    assert.throws(() => codec.decode('nonsense'), /Not a time-window key/);
  });

  it('answers from its cache of recent windows only for the very same bounds', () => {
    const codec = new TimeWindowCodec();
    const windows = Array.from({ length: 20 }, (_, i) => new TimeWindow(i * 5, i * 5 + 10));
    for (let round = 0; round < 3; round++) {
      for (const w of windows) assert.equal(codec.encode(w), `${w.getStart()}:${w.getEnd()}`);
      assert.equal(codec.encode(new TimeWindow(0, 11)), '0:11', 'same start, other end');
      assert.equal(codec.encode(new TimeWindow(1, 10)), '1:10', 'same end, other start');
    }
  });

  it('has a single void namespace', () => {
    assert.equal(VOID_NAMESPACE_CODEC.encode(VOID_NAMESPACE), '');
    assert.equal(VOID_NAMESPACE_CODEC.decode(''), VOID_NAMESPACE);
    assert.throws(() => VOID_NAMESPACE_CODEC.decode('x'), /Not the void namespace/);
  });
});
