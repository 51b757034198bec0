/**
 * Cuts bytes into text lines at "\n", dropping a "\r" right before it (so
 * "\r\n" files read the same) and at the end of input. A last line without a
 * line break is still a line; a file ending with a line break has no empty
 * line after it (as Java's BufferedReader.readLine, which Flink uses). A lone
 * "\r" is not a line break.
 *
 * Lines are decoded only once complete, so a multi-byte character cut by a
 * chunk boundary decodes correctly. Chunks without a line feed are collected
 * and joined once one arrives, so a long line costs one copy, not one per chunk.
 */
import type { RecordDecoder } from './stream-format.js';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class TextLineDecoder implements RecordDecoder<string> {
  /** Bytes being scanned; those before `start` are consumed. */
  private head: Buffer = EMPTY;
  private start = 0;
  /** Chunks after `head` that hold no line feed (yet to be joined). */
  private readonly parts: Buffer[] = [];
  private ended = false;
  private consumed = 0;

  constructor(private readonly encoding: BufferEncoding = 'utf8') {}

  get consumedBytes(): number {
    return this.consumed;
  }

  append(chunk: Buffer): void {
    if (this.ended) throw new Error('TextLineDecoder: append() after endOfInput().');
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    if (chunk.indexOf(LF) >= 0) this.joinParts();
  }

  endOfInput(): void {
    this.ended = true;
    this.joinParts();
  }

  next(): string | undefined {
    const lf = this.head.indexOf(LF, this.start);
    if (lf >= 0) return this.take(lf, lf + 1);
    if (this.ended && this.start < this.head.length) return this.take(this.head.length, this.head.length);
    return undefined;
  }

  /** Returns the line `[start, lineEnd)` without a trailing CR and consumes up to `consumeEnd`. */
  private take(lineEnd: number, consumeEnd: number): string {
    const begin = this.start;
    const end = lineEnd > begin && this.head[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    const line = this.head.toString(this.encoding, begin, end);
    this.consumed += consumeEnd - begin;
    this.start = consumeEnd;
    if (this.start >= this.head.length) {
      this.head = EMPTY;
      this.start = 0;
    }
    return line;
  }

  private joinParts(): void {
    if (this.parts.length === 0) return;
    const rest = this.start < this.head.length ? [this.head.subarray(this.start)] : [];
    this.head = rest.length === 0 && this.parts.length === 1 ? this.parts[0]! : Buffer.concat([...rest, ...this.parts]);
    this.start = 0;
    this.parts.length = 0;
  }
}
