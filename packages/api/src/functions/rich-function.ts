/**
 * Rich functions: user functions with a lifecycle and access to the
 * RuntimeContext (state, subtask index). The runtime calls, in this order,
 * `setRuntimeContext(ctx)`, `open(ctx)`, then the per-record method, and
 * `close()` at the end (see `openFunction`/`closeFunction`).
 */
import type { RuntimeContext } from './functions.js';
import type { Collector } from './collector.js';
import type { FilterFunction, FlatMapFunction, MapFunction } from './basic-functions.js';

/** The lifecycle part of a rich function. */
export interface RichFunction {
  setRuntimeContext(context: RuntimeContext): void;
  getRuntimeContext(): RuntimeContext;
  open(context: RuntimeContext): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * Base of all `Rich*` classes (Flink's `AbstractRichFunction`). Subclasses
 * override `open` to create state handles and `close` to release resources.
 */
export abstract class AbstractRichFunction implements RichFunction {
  private runtimeContext: RuntimeContext | undefined;

  /** Called by the runtime before `open`; not meant for user code. */
  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContext = context;
  }

  /** @throws Error when called before the runtime opened the function (e.g. in a constructor or in plan mode). */
  getRuntimeContext(): RuntimeContext {
    if (this.runtimeContext === undefined) {
      throw new Error('The runtime context has not been initialized yet: it is available from open() on, once the function runs in a task.');
    }
    return this.runtimeContext;
  }

  open(_context: RuntimeContext): void | Promise<void> {}

  close(): void | Promise<void> {}
}

export abstract class RichMapFunction<IN, OUT> extends AbstractRichFunction implements MapFunction<IN, OUT> {
  abstract map(value: IN): OUT;
}

export abstract class RichFlatMapFunction<IN, OUT> extends AbstractRichFunction implements FlatMapFunction<IN, OUT> {
  abstract flatMap(value: IN, out: Collector<OUT>): void;
}

export abstract class RichFilterFunction<T> extends AbstractRichFunction implements FilterFunction<T> {
  abstract filter(value: T): boolean;
}
