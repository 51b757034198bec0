import { UnsupportedCharsetError } from '../connector-errors.js';

/**
 * Charsets a line format can read: those where a line feed is the single
 * byte 0x0A and never part of another character, so lines can be cut on bytes
 * (and byte offsets are exact positions). Names compare case-insensitively.
 */
const LINE_CHARSETS: ReadonlyMap<string, BufferEncoding> = new Map([
  ['utf-8', 'utf8'], ['utf8', 'utf8'],
  ['us-ascii', 'ascii'], ['ascii', 'ascii'],
  ['iso-8859-1', 'latin1'], ['latin1', 'latin1'],
]);

/** @throws UnsupportedCharsetError for any other charset (e.g. UTF-16). */
export function resolveLineCharset(charsetName: string): BufferEncoding {
  const encoding = LINE_CHARSETS.get(String(charsetName).toLowerCase());
  if (encoding === undefined) throw new UnsupportedCharsetError(charsetName, ['UTF-8', 'US-ASCII', 'ISO-8859-1']);
  return encoding;
}
