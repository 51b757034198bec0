import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WATERMARK } from '@tsflink/api';
import { WatermarkValve } from './watermark-valve.js';

describe('WatermarkValve', () => {
  it('emits the minimum over the channels, only when it advances', () => {
    const v = new WatermarkValve(3);
    assert.equal(v.inputWatermark(0, 10), undefined);
    assert.equal(v.inputWatermark(1, 5), undefined);
    assert.equal(v.inputWatermark(2, 7), 5);
    assert.equal(v.inputWatermark(2, 20), undefined, 'channel 1 still holds 5');
    assert.equal(v.inputWatermark(1, 8), 8);
    assert.equal(v.inputWatermark(1, 30), 10);
    assert.equal(v.inputWatermark(0, 10), undefined, 'no change');
  });

  it('a channel watermark never goes back', () => {
    const v = new WatermarkValve(2);
    v.inputWatermark(0, 10);
    assert.equal(v.inputWatermark(1, 10), 10);
    assert.equal(v.inputWatermark(0, 3), undefined);
    assert.equal(v.inputWatermark(1, 12), undefined, 'channel 0 stays at 10, not 3');
    assert.equal(v.inputWatermark(0, 11), 11);
  });

  it('a finished channel no longer holds the minimum back', () => {
    const v = new WatermarkValve(3);
    v.inputWatermark(0, 100);
    v.inputWatermark(1, 50);
    assert.equal(v.channelFinished(2), 50);
    assert.equal(v.channelFinished(1), 100);
    assert.equal(v.inputWatermark(0, MAX_WATERMARK), MAX_WATERMARK);
    assert.equal(v.channelFinished(0), undefined, 'nothing left to advance');
  });

  it('one channel passes its watermarks through', () => {
    const v = new WatermarkValve(1);
    assert.deepEqual([1, 1, 2, 0, 3].map((w) => v.inputWatermark(0, w)), [1, undefined, 2, undefined, 3]);
  });
});
