import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WATERMARK } from '@tsflink/api';
import { WatermarkValve } from './watermark-valve.js';

/** A valve whose outputs are recorded: numbers are watermarks, 'idle'/'active' statuses. */
function recordingValve(channels: number): { valve: WatermarkValve; take(): Array<number | 'idle' | 'active'> } {
  let emitted: Array<number | 'idle' | 'active'> = [];
  const valve = new WatermarkValve(channels, {
    emitWatermark: (w) => emitted.push(w),
    emitWatermarkStatus: (idle) => emitted.push(idle ? 'idle' : 'active'),
  });
  return { valve, take: () => { const out = emitted; emitted = []; return out; } };
}

describe('WatermarkValve', () => {
  it('emits the minimum over the channels, only when it advances', () => {
    const { valve: v, take } = recordingValve(3);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 5);
    assert.deepEqual(take(), []);
    v.inputWatermark(2, 7);
    assert.deepEqual(take(), [5]);
    v.inputWatermark(2, 20);
    assert.deepEqual(take(), [], 'channel 1 still holds 5');
    v.inputWatermark(1, 8);
    assert.deepEqual(take(), [8]);
    v.inputWatermark(1, 30);
    assert.deepEqual(take(), [10]);
    v.inputWatermark(0, 10);
    assert.deepEqual(take(), [], 'no change');
  });

  it('a channel watermark never goes back', () => {
    const { valve: v, take } = recordingValve(2);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 10);
    assert.deepEqual(take(), [10]);
    v.inputWatermark(0, 3);
    v.inputWatermark(1, 12);
    assert.deepEqual(take(), [], 'channel 0 stays at 10, not 3');
    v.inputWatermark(0, 11);
    assert.deepEqual(take(), [11]);
  });

  it('a finished channel no longer holds the minimum back', () => {
    const { valve: v, take } = recordingValve(3);
    v.inputWatermark(0, 100);
    v.inputWatermark(1, 50);
    v.channelFinished(2);
    assert.deepEqual(take(), [50]);
    v.channelFinished(1);
    assert.deepEqual(take(), [100]);
    v.inputWatermark(0, MAX_WATERMARK);
    assert.deepEqual(take(), [MAX_WATERMARK]);
    v.channelFinished(0);
    assert.deepEqual(take(), [], 'nothing left to advance, and an ended task is not "idle"');
  });

  it('one channel passes its watermarks through', () => {
    const { valve: v, take } = recordingValve(1);
    for (const w of [1, 1, 2, 0, 3]) v.inputWatermark(0, w);
    assert.deepEqual(take(), [1, 2, 3]);
  });

  it('an idle channel stops holding time back; the others advance it', () => {
    const { valve: v, take } = recordingValve(3);
    v.inputWatermark(0, 100);
    v.inputWatermark(1, 200);
    v.inputWatermark(2, 20);
    assert.deepEqual(take(), [20]);
    v.inputWatermarkStatus(2, true);
    assert.deepEqual(take(), [100], 'channel 2 (at 20) no longer counts');
    v.inputWatermark(0, 150);
    assert.deepEqual(take(), [150]);
    v.inputWatermark(2, 500);
    assert.deepEqual(take(), [], 'a watermark on an idle channel is ignored');
  });

  it('a channel that turns active rejoins only once it has caught up', () => {
    const { valve: v, take } = recordingValve(2);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 10);
    v.inputWatermarkStatus(1, true);
    v.inputWatermark(0, 100);
    assert.deepEqual(take(), [10, 100]);
    v.inputWatermarkStatus(1, false);
    v.inputWatermark(1, 50);
    v.inputWatermark(0, 120);
    assert.deepEqual(take(), [120], 'channel 1 at 50 is behind 100: it does not pull time back');
    v.inputWatermark(1, 125);
    assert.deepEqual(take(), [], 'channel 1 caught up (125 ≥ 120) and rejoins');
    v.inputWatermark(0, 130);
    assert.deepEqual(take(), [125], 'now channel 1 holds the minimum');
  });

  it('when every open channel is idle the task releases the largest watermark and goes idle, then active again', () => {
    const { valve: v, take } = recordingValve(3);
    v.inputWatermark(0, 10);
    v.inputWatermark(1, 40);
    v.inputWatermark(2, 30);
    v.channelFinished(2);
    assert.deepEqual(take(), [10]);
    v.inputWatermarkStatus(0, true);
    assert.deepEqual(take(), [40]);
    v.inputWatermarkStatus(1, true);
    assert.deepEqual(take(), ['idle']);
    assert.equal(v.isIdle, true);
    v.inputWatermarkStatus(1, true);
    assert.deepEqual(take(), [], 'statuses are emitted on change only');
    v.inputWatermarkStatus(0, false);
    assert.deepEqual(take(), ['active']);
    v.inputWatermark(0, 60);
    assert.deepEqual(take(), [60]);
  });

  it('the last open channel going idle while the others ended makes the task idle', () => {
    const { valve: v, take } = recordingValve(2);
    v.inputWatermark(0, 5);
    v.inputWatermark(1, 7);
    v.channelFinished(0);
    assert.deepEqual(take(), [5, 7]);
    v.inputWatermarkStatus(1, true);
    assert.deepEqual(take(), ['idle']);
  });
});
