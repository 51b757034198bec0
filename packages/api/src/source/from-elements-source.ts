/**
 * The given elements in order: backs `env.fromElements`/`fromCollection`. The
 * elements live in the source object itself (every process re-runs the job's
 * main and so rebuilds them), while splits and positions only carry indexes.
 */
import { IndexRangeSource } from './index-range-source.js';

export class FromElementsSource<T> extends IndexRangeSource<T> {
  private readonly elements: readonly T[];

  constructor(elements: readonly T[]) {
    super(elements.length);
    this.elements = [...elements];
  }

  protected elementAt(index: number): T {
    return this.elements[index]!;
  }
}
