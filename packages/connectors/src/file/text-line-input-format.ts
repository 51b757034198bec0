/**
 * Flink's `TextLineInputFormat`: a file's lines as strings (see
 * `TextLineDecoder` for the exact line rules). The position of a line is the
 * byte offset where it starts.
 */
import { resolveLineCharset } from './charset.js';
import type { StreamFormat } from './stream-format.js';
import { TextLineDecoder } from './text-line-decoder.js';

export class TextLineInputFormat implements StreamFormat<string> {
  private readonly encoding: BufferEncoding;

  /**
   * @param charsetName 'UTF-8' (default), 'US-ASCII' or 'ISO-8859-1'.
   * @throws UnsupportedCharsetError for other charsets.
   */
  constructor(readonly charsetName = 'UTF-8') {
    this.encoding = resolveLineCharset(charsetName);
  }

  createDecoder(): TextLineDecoder {
    return new TextLineDecoder(this.encoding);
  }
}
