/**
 * Legacy push sources (Flink's `SourceFunction`), used with `env.addSource`.
 *
 * `run(ctx)` emits records with `ctx.collect` until the input ends or `cancel()`
 * is called. Our runtime is single-threaded: it takes checkpoints (and handles
 * cancellation) only while `run` is awaiting, so `run` must await regularly, and
 * a source keeps its position consistent by updating it in the same synchronous
 * block as the `collect` call: that is what Flink's
 * `synchronized (ctx.getCheckpointLock())` achieves. Positions survive failures
 * when the source also implements `CheckpointedFunction`. Prefer the
 * split-based `Source` (`env.fromSource`) for new sources: the runtime pulls it,
 * so back-pressure and barriers need no care at all.
 *
 * Back-pressure: `collect` cannot block a JavaScript thread as it blocks a Java
 * one, so a push source awaits `ctx.whenAvailable()` between batches; it resolves
 * at once while downstream keeps up, and otherwise when it has room again.
 */
import { AbstractRichFunction } from './rich-function.js';

export interface SourceContext<T> {
  collect(element: T): void;
  collectWithTimestamp(element: T, timestamp: number): void;
  /** Emits an event-time watermark (epoch ms). */
  emitWatermark(watermark: number): void;
  /** Tells downstream not to wait for watermarks from this source until it emits again. */
  markAsTemporarilyIdle(): void;
  /** Returns an object to keep Flink code shape; the runtime is single-threaded, so there is nothing to lock. */
  getCheckpointLock(): object;
  /**
   * Resolves when downstream can take more records (at once unless it is
   * back-pressured, or the task is being cancelled). Await it between batches:
   * a source that never does grows the task's buffers as fast as it reads.
   */
  whenAvailable(): Promise<void>;
}

export interface SourceFunction<T> {
  run(ctx: SourceContext<T>): Promise<void>;
  /** Asks `run` to return soon; it must not throw. */
  cancel(): void;
}

/**
 * Marks a source whose `run` may execute in several parallel subtasks (Flink's
 * `ParallelSourceFunction`). Sources without it always run with parallelism 1.
 */
export interface ParallelSourceFunction<T> extends SourceFunction<T> {
  readonly isParallel: true;
}

/** A non-parallel source with a lifecycle and a RuntimeContext. */
export abstract class RichSourceFunction<T> extends AbstractRichFunction implements SourceFunction<T> {
  abstract run(ctx: SourceContext<T>): Promise<void>;
  abstract cancel(): void;
}

/** A parallel source with a lifecycle; each subtask reads its share, e.g. by `getIndexOfThisSubtask()`. */
export abstract class RichParallelSourceFunction<T>
  extends AbstractRichFunction implements ParallelSourceFunction<T> {
  readonly isParallel = true as const;
  abstract run(ctx: SourceContext<T>): Promise<void>;
  abstract cancel(): void;
}
