import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownKeys } from './all-options.js';
import { suggestKey } from './key-suggestion.js';

describe('suggestKey', () => {
  it('suggests the closest known key for a typo', () => {
    assert.equal(suggestKey('state.bachend.fs.checkpointdir', knownKeys()), 'state.backend.fs.checkpointdir');
    assert.equal(suggestKey('jobmanager.rpc.prot', knownKeys()), 'jobmanager.rpc.port');
    assert.equal(suggestKey('taskmanager.numberOfTaskSlot', knownKeys()), 'taskmanager.numberOfTaskSlots');
  });

  it('suggests nothing when no key is close', () => {
    assert.equal(suggestKey('metrics.reporter.prom.factory.class', knownKeys()), undefined);
    assert.equal(suggestKey('anything', []), undefined);
  });
});
