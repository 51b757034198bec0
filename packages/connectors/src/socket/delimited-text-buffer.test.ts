import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedTextBuffer } from './delimited-text-buffer.js';

function records(buffer: DelimitedTextBuffer): string[] {
  const out: string[] = [];
  for (let r = buffer.next(); r !== undefined; r = buffer.next()) out.push(r);
  return out;
}

test('records are cut at the delimiter; CR before a newline delimiter is dropped', () => {
  const b = new DelimitedTextBuffer('\n');
  b.append('a\r\nb');
  assert.deepEqual(records(b), ['a']);
  b.append('c\n\nd');
  assert.deepEqual(records(b), ['bc', '']);
  assert.equal(b.takeRemainder(), 'd');
  assert.equal(b.takeRemainder(), '');
});

test('a multi-character delimiter split across appends is found', () => {
  const b = new DelimitedTextBuffer('||');
  for (const piece of ['x|', '|y', '|', '|z|', 'w||']) b.append(piece);
  assert.deepEqual(records(b), ['x', 'y', 'z|w']);
  const crKept = new DelimitedTextBuffer(';');
  crKept.append('a\r;');
  assert.deepEqual(records(crKept), ['a\r']);
  assert.throws(() => new DelimitedTextBuffer(''), /non-empty/);
});
