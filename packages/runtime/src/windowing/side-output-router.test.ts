import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutputTag } from '@tsflink/api';
import { combineOutputs } from '../operators/output.js';
import { CollectingOutput } from './operator-test-harness.js';
import { SideOutputRouter, WatermarkOnlyOutput } from './side-output-router.js';

describe('side-output wiring', () => {
  it('routes by tag id to every edge reading the tag, and drops tags nobody reads', () => {
    const late1 = new CollectingOutput();
    const late2 = new CollectingOutput();
    const errors = new CollectingOutput();
    const router = new SideOutputRouter(new Map([['late', [late1, late2]], ['errors', [errors]], ['unused', []]]));
    router.emit(new OutputTag('late'), 'x', 5);
    router.emit(new OutputTag('errors'), 'boom', 7);
    router.emit(new OutputTag('nobody'), 'lost', 9);
    assert.deepEqual(late1.records, [{ value: 'x', timestamp: 5 }]);
    assert.deepEqual(late2.records, [{ value: 'x', timestamp: 5 }]);
    assert.deepEqual(errors.records, [{ value: 'boom', timestamp: 7 }]);
    assert.deepEqual(router.tagIds.sort(), ['errors', 'late']);
  });

  it('side-output edges get the main output\'s watermarks but not its records', () => {
    const main = new CollectingOutput();
    const side = new CollectingOutput();
    const output = combineOutputs([main, new WatermarkOnlyOutput(side)]);
    output.collect('record', 1);
    output.emitWatermark(10);
    assert.deepEqual(main.records, [{ value: 'record', timestamp: 1 }]);
    assert.deepEqual(side.records, []);
    assert.deepEqual(side.watermarks, [10]);
  });
});
