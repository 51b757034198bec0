/**
 * Resolves after the event loop has run its pending I/O callbacks and timers once
 * (`setImmediate`), so long snapshot and restore work never starves records,
 * barriers or heartbeats. A resolved promise alone would not: it runs as a
 * microtask before any I/O.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Default longest stretch of synchronous work between two yields. */
export const DEFAULT_SLICE_MS = 10;

/**
 * Cuts long synchronous loops into slices of about `sliceMs`: call {@link due}
 * once per unit of work (an entry, a key group) and `await` {@link yield} when it
 * returns true. The clock is read only every `checkEvery` calls, so the per-unit
 * cost is a counter increment.
 */
export class EventLoopSlicer {
  private calls = 0;
  private deadline: number;

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS, private readonly checkEvery = 256) {
    this.deadline = performance.now() + sliceMs;
  }

  /** True when the current slice is used up. */
  due(): boolean {
    if (++this.calls < this.checkEvery) return false;
    this.calls = 0;
    return performance.now() >= this.deadline;
  }

  /** Yields to the event loop and starts a new slice. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.restart();
  }

  /** Starts a new slice without yielding (after the caller yielded some other way). */
  restart(): void {
    this.calls = 0;
    this.deadline = performance.now() + this.sliceMs;
  }
}
