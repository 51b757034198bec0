import {
  MapStateDescriptor,
  type AggregateFunction, type MapState, type ReduceFunction, type WindowFunctionSpec,
} from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';

/** Name of the keyed map state holding window contents: per key, window key → contents. */
export const WINDOW_CONTENTS_STATE = '_window-contents';

/**
 * The contents of the windows of the backend's current key, addressed by window
 * key (see `TimeWindowCodec`): what the window function is given when a window
 * fires. One implementation per kind of window function:
 *
 * - 'reduce': the reduction of the elements (Flink's ReducingState);
 * - 'aggregate': the accumulator, handed out as `getResult(accumulator)`;
 * - 'process': the buffered elements, in arrival order.
 *
 * All live in one keyed map state, {@link WINDOW_CONTENTS_STATE}, so they are
 * checkpointed by key group with the rest of the operator's keyed state.
 */
export interface WindowContents {
  add(windowKey: string, value: unknown): void;
  /** The window's contents for the window function (a value, or the element list); undefined when empty. */
  get(windowKey: string): unknown;
  clear(windowKey: string): void;
  /** Merges the contents of `sourceKeys` into `targetKey` and removes the sources (merging windows). */
  merge(targetKey: string, sourceKeys: readonly string[]): void;
}

/** The contents store for a window function spec. */
export function createWindowContents(backend: HeapKeyedStateBackend, windowFunction: WindowFunctionSpec): WindowContents {
  const state = backend.getMapState(new MapStateDescriptor<string, unknown>(WINDOW_CONTENTS_STATE));
  switch (windowFunction.type) {
    case 'reduce': return new ReducingWindowContents(state, windowFunction.reduceFunction);
    case 'aggregate': return new AggregatingWindowContents(state, windowFunction.aggregateFunction);
    case 'process': return new BufferingWindowContents(state as MapState<string, unknown[]>);
  }
}

/** Keeps `reduce(previous, element)` per window; null and undefined elements are ignored, as by ReducingState. */
class ReducingWindowContents implements WindowContents {
  constructor(private readonly state: MapState<string, unknown>, private readonly fn: ReduceFunction<unknown>) {}

  add(windowKey: string, value: unknown): void {
    if (value === null || value === undefined) return;
    const current = this.state.get(windowKey);
    this.state.put(windowKey, current === undefined ? value : this.fn.reduce(current, value));
  }

  get(windowKey: string): unknown {
    return this.state.get(windowKey);
  }

  clear(windowKey: string): void {
    this.state.remove(windowKey);
  }

  merge(targetKey: string, sourceKeys: readonly string[]): void {
    let merged: unknown;
    for (const key of sourceKeys) {
      const value = this.state.get(key);
      if (value === undefined) continue;
      this.state.remove(key);
      merged = merged === undefined ? value : this.fn.reduce(merged, value);
    }
    if (merged === undefined) return;
    const target = this.state.get(targetKey);
    this.state.put(targetKey, target === undefined ? merged : this.fn.reduce(target, merged));
  }
}

/** Keeps an accumulator per window; null and undefined elements are ignored, as by AggregatingState. */
class AggregatingWindowContents implements WindowContents {
  constructor(
    private readonly state: MapState<string, unknown>,
    private readonly fn: AggregateFunction<unknown, unknown, unknown>,
  ) {}

  add(windowKey: string, value: unknown): void {
    if (value === null || value === undefined) return;
    const stored = this.state.get(windowKey);
    const accumulator = stored === undefined ? this.fn.createAccumulator() : stored;
    this.state.put(windowKey, this.fn.add(value, accumulator));
  }

  get(windowKey: string): unknown {
    const accumulator = this.state.get(windowKey);
    return accumulator === undefined ? undefined : this.fn.getResult(accumulator);
  }

  clear(windowKey: string): void {
    this.state.remove(windowKey);
  }

  merge(targetKey: string, sourceKeys: readonly string[]): void {
    let merged: unknown;
    for (const key of sourceKeys) {
      const accumulator = this.state.get(key);
      if (accumulator === undefined) continue;
      this.state.remove(key);
      merged = merged === undefined ? accumulator : this.fn.merge(merged, accumulator);
    }
    if (merged === undefined) return;
    const target = this.state.get(targetKey);
    this.state.put(targetKey, target === undefined ? merged : this.fn.merge(target, merged));
  }
}

/** Buffers every element per window (for a ProcessWindowFunction without pre-aggregation). */
class BufferingWindowContents implements WindowContents {
  constructor(private readonly state: MapState<string, unknown[]>) {}

  add(windowKey: string, value: unknown): void {
    if (value === null || value === undefined) throw new TypeError('A window cannot buffer null or undefined elements.');
    const list = this.state.get(windowKey);
    if (list === undefined) {
      this.state.put(windowKey, [value]);
    } else {
      // `get` hands out the live list (copied first while a snapshot shares it): append in place.
      list.push(value);
      this.state.put(windowKey, list);
    }
  }

  get(windowKey: string): unknown {
    return this.state.get(windowKey);
  }

  clear(windowKey: string): void {
    this.state.remove(windowKey);
  }

  merge(targetKey: string, sourceKeys: readonly string[]): void {
    let merged: unknown[] | undefined;
    for (const key of sourceKeys) {
      const list = this.state.get(key);
      if (list === undefined) continue;
      this.state.remove(key);
      if (merged === undefined) merged = list;
      else for (const value of list) merged.push(value);
    }
    if (merged === undefined) return;
    const target = this.state.get(targetKey);
    if (target === undefined) {
      this.state.put(targetKey, merged);
    } else {
      for (const value of merged) target.push(value);
      this.state.put(targetKey, target);
    }
  }
}
