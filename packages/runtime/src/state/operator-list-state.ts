import type { ListState } from '@tsflink/api';
import { checkListElement } from './heap-list-state.js';

/** How operator list state is split when the parallelism changes (Flink's `OperatorStateHandle.Mode`). */
export type OperatorStateDistributionMode = 'SPLIT_DISTRIBUTE' | 'UNION';

/**
 * One operator (non-keyed) list state of a subtask: a plain list. On rescale its
 * elements are split round-robin across the new subtasks (`SPLIT_DISTRIBUTE`) or
 * given whole to every subtask (`UNION`).
 */
export class OperatorListState<T> implements ListState<T> {
  private elements: T[] = [];

  constructor(readonly name: string, readonly mode: OperatorStateDistributionMode) {}

  get(): Iterable<T> {
    return this.elements;
  }

  add(value: T): void {
    checkListElement(value);
    this.elements.push(value);
  }

  addAll(values: T[]): void {
    for (const value of values) checkListElement(value);
    for (const value of values) this.elements.push(value);
  }

  update(values: T[]): void {
    for (const value of values) checkListElement(value);
    this.elements = values.slice();
  }

  clear(): void {
    this.elements = [];
  }

  /** The elements, read-only (for snapshots). */
  toArray(): readonly T[] {
    return this.elements;
  }

  /** Number of elements. */
  get size(): number {
    return this.elements.length;
  }
}
