/**
 * Reads index-range splits for a `DataGeneratorSource`: each poll serves the
 * next split in turn (so a reader that inherited several unbounded splits after
 * a rescale advances all of them), emitting up to a batch of consecutive
 * indexes as the rate limiter allows. A split's `nextIndex` is advanced with
 * every record, so a snapshot between two polls is exact.
 */
import { InputStatus } from '@tsflink/api';
import type { IndexRangeSplit, ReaderOutput, SourceReader } from '@tsflink/api';
import type { RateLimiter } from './rate-limiter.js';

/** How many records one `pollNext` emits at most. */
export const DATA_GENERATOR_BATCH_SIZE = 1000;

interface MutableIndexRange {
  readonly splitId: string;
  nextIndex: number;
  readonly endIndex: number;
}

export class DataGeneratorReader<T> implements SourceReader<T, IndexRangeSplit> {
  private readonly splits: MutableIndexRange[] = [];
  private cursor = 0;

  constructor(
    private readonly generatorFunction: (index: number) => T,
    private readonly rateLimiter: RateLimiter,
    private readonly batchSize = DATA_GENERATOR_BATCH_SIZE,
  ) {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`The batch size must be a positive integer, got ${batchSize}.`);
  }

  addSplits(splits: IndexRangeSplit[]): void {
    for (const s of splits) {
      if (s.nextIndex < s.endIndex) this.splits.push({ splitId: s.splitId, nextIndex: s.nextIndex, endIndex: s.endIndex });
    }
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.splits.length === 0) return InputStatus.END_OF_INPUT;
    if (this.cursor >= this.splits.length) this.cursor = 0;
    const split = this.splits[this.cursor]!;
    const wanted = Math.min(this.batchSize, split.endIndex - split.nextIndex);
    const granted = this.rateLimiter.acquire(wanted);
    if (granted === 0) return InputStatus.NOTHING_AVAILABLE;

    const end = split.nextIndex + granted;
    for (let index = split.nextIndex; index < end; index++) {
      const record = this.generatorFunction(index);
      split.nextIndex = index + 1;
      output.collect(record);
    }

    if (split.nextIndex >= split.endIndex) this.splits.splice(this.cursor, 1);
    else this.cursor++;
    if (this.splits.length === 0) return InputStatus.END_OF_INPUT;
    return granted < wanted ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return this.rateLimiter.whenAvailable();
  }

  snapshotState(_checkpointId: number): IndexRangeSplit[] {
    return this.splits.map((s) => ({ splitId: s.splitId, nextIndex: s.nextIndex, endIndex: s.endIndex }));
  }

  close(): void {
    this.rateLimiter.close();
  }
}
