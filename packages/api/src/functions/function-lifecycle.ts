/**
 * How the runtime drives any user function object, whatever its origin (a
 * `Rich*` subclass, an object literal with `open`, a normalised lambda), and
 * how the API recognises the optional roles a function may play.
 */
import type { CheckpointedFunction, CheckpointListener, RuntimeContext } from './functions.js';
import type { ParallelSourceFunction, SourceFunction } from './source-function.js';

type MaybeLifecycle = {
  setRuntimeContext?: (context: RuntimeContext) => void;
  open?: (context: RuntimeContext) => void | Promise<void>;
  close?: () => void | Promise<void>;
};

/** Gives the function its RuntimeContext and opens it, for whichever of the two methods it has. */
export async function openFunction(fn: object, context: RuntimeContext): Promise<void> {
  const f = fn as MaybeLifecycle;
  if (typeof f.setRuntimeContext === 'function') f.setRuntimeContext(context);
  if (typeof f.open === 'function') await f.open(context);
}

/** Closes the function if it has a `close` method. */
export async function closeFunction(fn: object): Promise<void> {
  const f = fn as MaybeLifecycle;
  if (typeof f.close === 'function') await f.close();
}

/** True for functions with a lifecycle (`open` or `setRuntimeContext`), i.e. rich functions. */
export function isRichFunction(fn: unknown): boolean {
  if (fn === null || typeof fn !== 'object') return false;
  const f = fn as MaybeLifecycle;
  return typeof f.open === 'function' || typeof f.setRuntimeContext === 'function';
}

/** True when the function keeps operator state through `snapshotState`/`initializeState`. */
export function isCheckpointedFunction(fn: unknown): fn is CheckpointedFunction {
  if (fn === null || typeof fn !== 'object') return false;
  const f = fn as Partial<CheckpointedFunction>;
  return typeof f.snapshotState === 'function' && typeof f.initializeState === 'function';
}

/** True when the function wants `notifyCheckpointComplete`. */
export function isCheckpointListener(fn: unknown): fn is CheckpointListener {
  return fn !== null && typeof fn === 'object'
    && typeof (fn as Partial<CheckpointListener>).notifyCheckpointComplete === 'function';
}

/** True for sources marked parallel (`RichParallelSourceFunction` or `isParallel: true`). */
export function isParallelSourceFunction<T>(fn: SourceFunction<T>): fn is ParallelSourceFunction<T> {
  return (fn as Partial<ParallelSourceFunction<T>>).isParallel === true;
}
