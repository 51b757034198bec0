/**
 * Names a side output (Flink's `OutputTag`). Functions emit to it with
 * `ctx.output(tag, value)`; `operator.getSideOutput(tag)` reads it. Tags are
 * equal when their ids are equal; the id travels in the JobGraph
 * (`JobEdge.sideOutputTag`).
 */
export class OutputTag<T> {
  /** Phantom field so tags of different element types do not mix. */
  declare readonly __type?: T;

  constructor(readonly id: string) {
    if (typeof id !== 'string' || id.length === 0) throw new Error('OutputTag id must be a non-empty string.');
  }

  equals(other: OutputTag<unknown>): boolean {
    return other.id === this.id;
  }

  toString(): string {
    return `OutputTag(${this.id})`;
  }
}
