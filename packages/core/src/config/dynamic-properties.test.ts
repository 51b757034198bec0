import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDynamicProperties } from './dynamic-properties.js';

describe('parseDynamicProperties', () => {
  it('splits at the first = and keeps the last of repeated keys', () => {
    const { entries, problems } = parseDynamicProperties(['rest.port=9000', 'env.java.opts=-Da=b', 'rest.port=9001']);
    assert.deepEqual(Object.fromEntries(entries), { 'rest.port': '9001', 'env.java.opts': '-Da=b' });
    assert.deepEqual(problems, []);
  });

  it('reports arguments that are not key=value', () => {
    const { entries, problems } = parseDynamicProperties(['rest.port', '=5']);
    assert.equal(entries.size, 0);
    assert.deepEqual(problems, [
      "Invalid dynamic property '-D rest.port': expected key=value.",
      "Invalid dynamic property '-D =5': expected key=value.",
    ]);
  });
});
