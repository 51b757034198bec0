/**
 * A bounded source of the elements at indexes `0 .. count-1`, read in index
 * order within each split. Splits are index ranges whose `nextIndex` is the
 * position, so a restored reader resumes exactly after the last emitted element.
 * `NumberSequenceSource` and `FromElementsSource` build on it; it does no I/O.
 */
import { Boundedness, InputStatus } from './source.js';
import type { ReaderOutput, Source, SourceReader, SourceReaderContext, SourceSplit } from './source.js';

/** A range of indexes still to emit: `nextIndex` (inclusive) to `endIndex` (exclusive). */
export interface IndexRangeSplit extends SourceSplit {
  readonly nextIndex: number;
  readonly endIndex: number;
}

/** How many records one `pollNext` emits at most. */
export const INDEX_RANGE_BATCH_SIZE = 1000;

export abstract class IndexRangeSource<T> implements Source<T, IndexRangeSplit> {
  /** @param count number of elements; must be a non-negative safe integer. */
  protected constructor(readonly count: number) {
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`The element count must be a non-negative integer, got ${count}.`);
  }

  /** The element at `index` (0 ≤ index < count); must be a pure function of the index. */
  protected abstract elementAt(index: number): T;

  getBoundedness(): Boundedness {
    return Boundedness.BOUNDED;
  }

  /** Cuts `0 .. count-1` into `parallelism` contiguous ranges of nearly equal size (empty ranges are left out). */
  createSplits(parallelism: number): IndexRangeSplit[] {
    if (!Number.isSafeInteger(parallelism) || parallelism < 1) throw new Error(`The parallelism must be a positive integer, got ${parallelism}.`);
    const splits: IndexRangeSplit[] = [];
    for (let i = 0; i < parallelism; i++) {
      const nextIndex = Math.floor((this.count * i) / parallelism);
      const endIndex = Math.floor((this.count * (i + 1)) / parallelism);
      if (endIndex > nextIndex) splits.push({ splitId: String(i), nextIndex, endIndex });
    }
    return splits;
  }

  createReader(_context: SourceReaderContext): SourceReader<T, IndexRangeSplit> {
    return new IndexRangeReader((index) => this.elementAt(index));
  }
}

/** Reads its splits one after the other, up to a batch per poll. */
export class IndexRangeReader<T> implements SourceReader<T, IndexRangeSplit> {
  private readonly pending: { splitId: string; nextIndex: number; endIndex: number }[] = [];

  constructor(private readonly elementAt: (index: number) => T, private readonly batchSize = INDEX_RANGE_BATCH_SIZE) {}

  addSplits(splits: IndexRangeSplit[]): void {
    for (const s of splits) this.pending.push({ splitId: s.splitId, nextIndex: s.nextIndex, endIndex: s.endIndex });
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    let emitted = 0;
    while (emitted < this.batchSize && this.pending.length > 0) {
      const split = this.pending[0]!;
      if (split.nextIndex >= split.endIndex) {
        this.pending.shift();
        continue;
      }
      const index = split.nextIndex;
      split.nextIndex = index + 1;
      output.collect(this.elementAt(index));
      emitted++;
    }
    while (this.pending.length > 0 && this.pending[0]!.nextIndex >= this.pending[0]!.endIndex) this.pending.shift();
    return this.pending.length > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.END_OF_INPUT;
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  snapshotState(_checkpointId: number): IndexRangeSplit[] {
    return this.pending
      .filter((s) => s.nextIndex < s.endIndex)
      .map((s) => ({ splitId: s.splitId, nextIndex: s.nextIndex, endIndex: s.endIndex }));
  }
}
