/** The numbers `from .. to` (both inclusive), in parallel splits: backs `env.fromSequence`. */
import { IndexRangeSource } from './index-range-source.js';

export class NumberSequenceSource extends IndexRangeSource<number> {
  constructor(readonly from: number, readonly to: number) {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      throw new Error(`A number sequence needs safe integers, got from=${from} to=${to}.`);
    }
    if (from > to) throw new Error('Start of sequence must not be greater than the end');
    super(to - from + 1);
  }

  protected elementAt(index: number): number {
    return this.from + index;
  }
}
