/**
 * Collects decoded text and cuts it into records at a delimiter of one or more
 * characters, as Flink's SocketTextStreamFunction: with the delimiter "\n", a
 * "\r" ending a record is dropped too (so CRLF streams work). The search
 * resumes where the previous one stopped, so a record arriving in many pieces
 * is scanned once.
 */
export class DelimitedTextBuffer {
  private text = '';
  private start = 0;
  /** Where the next search for a delimiter begins (nothing before it can start one). */
  private searchFrom = 0;

  constructor(private readonly delimiter: string) {
    if (typeof delimiter !== 'string' || delimiter.length === 0) throw new Error('The delimiter must be a non-empty string.');
  }

  append(text: string): void {
    if (text.length === 0) return;
    if (this.start > 0) {
      this.text = this.text.slice(this.start);
      this.searchFrom -= this.start;
      this.start = 0;
    }
    this.text += text;
  }

  /** The next complete record, or undefined when the delimiter has not arrived yet. */
  next(): string | undefined {
    const at = this.text.indexOf(this.delimiter, this.searchFrom);
    if (at < 0) {
      this.searchFrom = Math.max(this.start, this.text.length - this.delimiter.length + 1);
      return undefined;
    }
    let end = at;
    if (this.delimiter === '\n' && end > this.start && this.text.charCodeAt(end - 1) === 0x0d) end--;
    const record = this.text.slice(this.start, end);
    this.start = at + this.delimiter.length;
    this.searchFrom = this.start;
    return record;
  }

  /** Takes what is left after the last delimiter (possibly empty). */
  takeRemainder(): string {
    const rest = this.text.slice(this.start);
    this.text = '';
    this.start = 0;
    this.searchFrom = 0;
    return rest;
  }
}
