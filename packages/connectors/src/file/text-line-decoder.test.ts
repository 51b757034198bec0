import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextLineDecoder } from './text-line-decoder.js';
import { TextLineInputFormat } from './text-line-input-format.js';

/** Feeds `bytes` in chunks of `size` and returns the lines with the consumed byte count after each. */
function decode(bytes: Buffer, size: number, encoding: BufferEncoding = 'utf8'): Array<[string, number]> {
  const decoder = new TextLineDecoder(encoding);
  const out: Array<[string, number]> = [];
  const drain = () => {
    for (let line = decoder.next(); line !== undefined; line = decoder.next()) out.push([line, decoder.consumedBytes]);
  };
  for (let i = 0; i < bytes.length; i += size) {
    decoder.append(Buffer.from(bytes.subarray(i, i + size)));
    drain();
  }
  decoder.endOfInput();
  drain();
  return out;
}

test('lines end at \\n or \\r\\n; the last line needs no break; no empty line after a final break', () => {
  assert.deepEqual(decode(Buffer.from('a\nbb\r\n\nccc'), 64), [['a', 2], ['bb', 6], ['', 7], ['ccc', 10]]);
  assert.deepEqual(decode(Buffer.from('a\n'), 64), [['a', 2]]);
  assert.deepEqual(decode(Buffer.from('x\r'), 64), [['x', 2]]);
  assert.deepEqual(decode(Buffer.from('one\rtwo\n'), 64), [['one\rtwo', 8]], 'a lone CR is not a break');
  assert.deepEqual(decode(Buffer.alloc(0), 64), []);
  assert.deepEqual(decode(Buffer.from('\n\n'), 64), [['', 1], ['', 2]]);
});

test('multi-byte characters and CRLF cut by any chunk boundary decode the same', () => {
  const text = 'héllo wörld\r\n🎉 ünïcödé 日本語\n\r\nend without break ✓';
  const bytes = Buffer.from(text, 'utf8');
  const expected = decode(bytes, bytes.length);
  assert.deepEqual(expected.map(([l]) => l), ['héllo wörld', '🎉 ünïcödé 日本語', '', 'end without break ✓']);
  assert.equal(expected.at(-1)![1], bytes.length);
  for (let size = 1; size <= 9; size++) assert.deepEqual(decode(bytes, size), expected, `chunk size ${size}`);
});

test('a long line spread over many chunks is joined once it completes', () => {
  const long = 'x'.repeat(100_000);
  const lines = decode(Buffer.from(`${long}\nshort\n`), 1000);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]![0].length, 100_000);
  assert.deepEqual(lines[1], ['short', 100_007]);
});

test('TextLineInputFormat supports the byte-line charsets only', () => {
  const latin1 = new TextLineInputFormat('ISO-8859-1').createDecoder();
  latin1.append(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  assert.equal(latin1.next(), 'café');
  assert.equal(new TextLineInputFormat().charsetName, 'UTF-8');
  assert.throws(() => new TextLineInputFormat('UTF-16'), { name: 'UnsupportedCharsetError', message: /Unsupported charset "UTF-16"/ });
});
