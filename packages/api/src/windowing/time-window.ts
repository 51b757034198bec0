/** A time interval `[start, end)` in epoch milliseconds (Flink's `TimeWindow`). */
export class TimeWindow {
  constructor(private readonly start: number, private readonly end: number) {
    if (!(end > start)) throw new Error(`A time window needs end > start, got [${start}, ${end}).`);
  }

  getStart(): number {
    return this.start;
  }

  /** Exclusive end. */
  getEnd(): number {
    return this.end;
  }

  /** The largest timestamp inside the window, `end - 1`: an event-time window fires when the watermark passes it. */
  maxTimestamp(): number {
    return this.end - 1;
  }

  equals(other: TimeWindow): boolean {
    return other.start === this.start && other.end === this.end;
  }

  /** True when the two windows overlap or touch (session windows merge then). */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window covering both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /** Start of the window of `windowSize` (aligned to `offset`) that contains `timestamp`. */
  static getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
    const remainder = (timestamp - offset) % windowSize;
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
  }
}
