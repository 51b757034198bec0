import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidJobIdError } from './errors.js';
import { generateAttemptId, generateJobId, generateResourceId, isJobId, parseJobId, randomHex } from './ids.js';

describe('ids', () => {
  it('generates distinct 32-hex job and attempt ids', () => {
    const a = generateJobId();
    const b = generateJobId();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
    assert.match(generateAttemptId(), /^[0-9a-f]{32}$/);
  });

  it('makes random hex of any length', () => {
    assert.equal(randomHex(0), '');
    assert.match(randomHex(1), /^[0-9a-f]$/);
    assert.match(randomHex(12), /^[0-9a-f]{12}$/);
    assert.throws(() => randomHex(-1), RangeError);
  });

  it('parses job ids to lowercase', () => {
    assert.equal(parseJobId('FD72014D4C864993A2E5A9287B4A9C5D'), 'fd72014d4c864993a2e5a9287b4a9c5d');
    assert.ok(isJobId('fd72014d4c864993a2e5a9287b4a9c5d'));
    assert.ok(!isJobId('fd72014d'));
  });

  it("rejects a bad job id with Flink's message", () => {
    assert.throws(
      () => parseJobId('196b8ce6'),
      (error: unknown) =>
        error instanceof InvalidJobIdError &&
        error.message ===
          'Cannot parse JobID from "196b8ce6". The expected format is [0-9a-fA-F]{32}, e.g. fd72014d4c864993a2e5a9287b4a9c5d.',
    );
    assert.throws(() => parseJobId(`${'g'.repeat(32)}`), InvalidJobIdError);
  });

  it('builds TaskManager resource ids as host:port-6hex', () => {
    assert.match(generateResourceId('localhost', 34567), /^localhost:34567-[0-9a-f]{6}$/);
  });
});
