/**
 * Flink's `DataGeneratorSource`: the records `generatorFunction(0)`,
 * `generatorFunction(1)`, ... `generatorFunction(count - 1)`, read in parallel.
 *
 * - Deterministic: the generator must be a pure function of the index; the
 *   splits are contiguous index ranges, so every index is emitted exactly once.
 * - Exactly-once: a split's position is its next index, so a restored reader
 *   resumes at exactly the record after the last one emitted before the
 *   checkpoint; on rescale whole splits move to other readers.
 * - Unbounded when `count` is `Number.MAX_SAFE_INTEGER` (Flink: Long.MAX_VALUE).
 * - Paced by a `RateLimiterStrategy` (a total rate, shared by the readers).
 */
import { Boundedness } from '@tsflink/api';
import type { IndexRangeSplit, Source, SourceReader, SourceReaderContext } from '@tsflink/api';
import { DataGeneratorReader } from './data-generator-reader.js';
import { RateLimiterStrategy } from './rate-limiter-strategy.js';
import { splitIndexRange } from './split-index-range.js';

/** Maps an index (0 ≤ index < count) to a record; must be deterministic. */
export type GeneratorFunction<T> = (index: number) => T;

export class DataGeneratorSource<T> implements Source<T, IndexRangeSplit> {
  /**
   * @param generatorFunction the record at each index (pure).
   * @param count how many records; `Number.MAX_SAFE_INTEGER` for an unbounded source.
   * @param rateLimiterStrategy defaults to `RateLimiterStrategy.noOp()`.
   */
  constructor(
    private readonly generatorFunction: GeneratorFunction<T>,
    readonly count: number,
    private readonly rateLimiterStrategy: RateLimiterStrategy = RateLimiterStrategy.noOp(),
  ) {
    if (typeof generatorFunction !== 'function') throw new TypeError('DataGeneratorSource needs a generator function (index) => record.');
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`The record count must be a non-negative safe integer (Number.MAX_SAFE_INTEGER for unbounded), got ${count}.`);
    }
    if (rateLimiterStrategy === null || typeof rateLimiterStrategy?.createRateLimiter !== 'function') {
      throw new TypeError('DataGeneratorSource expects a RateLimiterStrategy, e.g. RateLimiterStrategy.perSecond(100).');
    }
  }

  getBoundedness(): Boundedness {
    return this.count === Number.MAX_SAFE_INTEGER ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
  }

  /** One contiguous index range per subtask (sizes differ by at most one). */
  createSplits(parallelism: number): IndexRangeSplit[] {
    return splitIndexRange(this.count, parallelism);
  }

  createReader(context: SourceReaderContext): SourceReader<T, IndexRangeSplit> {
    return new DataGeneratorReader(this.generatorFunction, this.rateLimiterStrategy.createRateLimiter(context.parallelism));
  }
}
