import type {
  Collector, Key, KeyedStateStore, OutputTag, ProcessWindowFunctionContext, ProcessWindowFunctionLike, TimeWindow,
  WindowFunctionSpec,
} from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type { InternalTimerService } from './internal-timer-service.js';
import type { SideOutputEmitter } from './operator-services.js';
import { PerWindowStateStore } from './per-window-state-store.js';

/**
 * The user function whose lifecycle (open, close, checkpoint hooks) the window
 * operator drives: the ProcessWindowFunction when there is one, else the reduce
 * or aggregate function.
 */
export function windowLifecycleFunction(spec: WindowFunctionSpec): object {
  switch (spec.type) {
    case 'process': return spec.processWindowFunction;
    case 'reduce': return spec.processWindowFunction ?? spec.reduceFunction;
    case 'aggregate': return spec.processWindowFunction ?? spec.aggregateFunction;
  }
}

/** What an {@link InternalWindowFunction} needs from its window operator. */
export interface InternalWindowFunctionOptions {
  readonly windowFunction: WindowFunctionSpec;
  readonly backend: HeapKeyedStateBackend;
  readonly timers: InternalTimerService<TimeWindow>;
  readonly sideOutput: SideOutputEmitter;
  /** Merging assigners (sessions) have no per-window state, as in Flink. */
  readonly merging: boolean;
}

/**
 * Hands a fired window's contents to the user (Flink's `InternalWindowFunction`
 * family): a pre-aggregated value (reduce, aggregate) is emitted as it is, or
 * given to the ProcessWindowFunction as its only element; buffered elements go
 * to the ProcessWindowFunction. Also runs the function's `clear` when a window
 * is purged. One instance per operator, reusing one context object.
 */
export class InternalWindowFunction {
  private readonly processFunction: ProcessWindowFunctionLike<unknown, unknown, Key> | undefined;
  private readonly preAggregated: boolean;
  private readonly context: WindowProcessContext;

  constructor(options: InternalWindowFunctionOptions) {
    const spec = options.windowFunction;
    this.processFunction = spec.processWindowFunction;
    this.preAggregated = spec.type !== 'process';
    this.context = new WindowProcessContext(options);
  }

  /**
   * Emits what the window `window` (stored under `windowKey`) holds: `contents`
   * as the window contents gave it (a value, or the buffered element list).
   */
  process(key: Key, window: TimeWindow, windowKey: string, contents: unknown, out: Collector<unknown>): void {
    const fn = this.processFunction;
    if (fn === undefined) {
      out.collect(contents);
      return;
    }
    this.context.enter(window, windowKey);
    const elements = this.preAggregated ? [contents] : contents as Iterable<unknown>;
    fn.process(key, this.context, elements, out);
  }

  /** The window is purged: lets the ProcessWindowFunction clean up its per-window state. */
  clear(window: TimeWindow, windowKey: string): void {
    const fn = this.processFunction;
    if (fn === undefined || typeof fn.clear !== 'function') return;
    this.context.enter(window, windowKey);
    fn.clear(this.context);
  }
}

/** The `context` of `process` and `clear`. */
class WindowProcessContext implements ProcessWindowFunctionContext {
  private currentWindow: TimeWindow | undefined;
  private readonly perWindowState: PerWindowStateStore | undefined;
  private readonly backend: HeapKeyedStateBackend;
  private readonly timers: InternalTimerService<TimeWindow>;
  private readonly sideOutput: SideOutputEmitter;

  constructor(options: InternalWindowFunctionOptions) {
    this.backend = options.backend;
    this.timers = options.timers;
    this.sideOutput = options.sideOutput;
    this.perWindowState = options.merging ? undefined : new PerWindowStateStore(options.backend);
  }

  enter(window: TimeWindow, windowKey: string): void {
    this.currentWindow = window;
    if (this.perWindowState !== undefined) this.perWindowState.windowKey = windowKey;
  }

  window(): TimeWindow {
    return this.currentWindow!;
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  windowState(): KeyedStateStore {
    if (this.perWindowState === undefined) throw new Error('Per-window state is not allowed when using merging windows.');
    return this.perWindowState;
  }

  globalState(): KeyedStateStore {
    return this.backend;
  }

  /** Side-output records carry the window's timestamp, as the main output does. */
  output<X>(tag: OutputTag<X>, value: X): void {
    this.sideOutput.emit(tag as OutputTag<unknown>, value, this.currentWindow!.maxTimestamp());
  }
}
