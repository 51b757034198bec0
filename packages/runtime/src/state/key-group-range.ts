/** A key-group range in plain form, as stored in checkpoint metadata (JSON). */
export interface KeyGroupRangeLike {
  readonly start: number;
  readonly end: number;
}

/**
 * An inclusive range of key groups `[start, end]`, as Flink's `KeyGroupRange`.
 * The empty range is `start = 0, end = -1` ({@link KeyGroupRange.EMPTY}).
 */
export class KeyGroupRange implements KeyGroupRangeLike {
  /** The range holding no key group. */
  static readonly EMPTY = new KeyGroupRange(0, -1);

  /**
   * @param start first key group (inclusive, ≥ 0)
   * @param end last key group (inclusive); `end = start - 1` only for the empty range
   */
  constructor(readonly start: number, readonly end: number) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start - 1) {
      throw new RangeError(`Invalid key-group range [${start}, ${end}]`);
    }
    if (end === start - 1 && start !== 0) {
      throw new RangeError(`The empty key-group range is [0, -1], not [${start}, ${end}]`);
    }
  }

  /** Creates a range from its plain form (for example read back from JSON). */
  static of(range: KeyGroupRangeLike): KeyGroupRange {
    if (range instanceof KeyGroupRange) return range;
    if (range.end < range.start) return KeyGroupRange.EMPTY;
    return new KeyGroupRange(range.start, range.end);
  }

  /** Number of key groups in the range. */
  get size(): number {
    return this.end - this.start + 1;
  }

  /** True when the range holds no key group. */
  get isEmpty(): boolean {
    return this.end < this.start;
  }

  /** True when `keyGroup` lies in the range. */
  contains(keyGroup: number): boolean {
    return keyGroup >= this.start && keyGroup <= this.end;
  }

  /** The key groups in both ranges ({@link KeyGroupRange.EMPTY} when they do not overlap). */
  intersect(other: KeyGroupRangeLike): KeyGroupRange {
    const start = Math.max(this.start, other.start);
    const end = Math.min(this.end, other.end);
    return start <= end ? new KeyGroupRange(start, end) : KeyGroupRange.EMPTY;
  }

  /** True when both ranges hold the same key groups. */
  equals(other: KeyGroupRangeLike): boolean {
    return (this.isEmpty && other.end < other.start) || (this.start === other.start && this.end === other.end);
  }

  /** The key groups in ascending order. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let kg = this.start; kg <= this.end; kg++) yield kg;
  }

  /** The plain form, for JSON. */
  toJSON(): KeyGroupRangeLike {
    return { start: this.start, end: this.end };
  }

  toString(): string {
    return `KeyGroupRange{startKeyGroup=${this.start}, endKeyGroup=${this.end}}`;
  }
}
