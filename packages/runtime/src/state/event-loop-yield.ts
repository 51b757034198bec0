/**
 * Resolves after the event loop has run its pending I/O callbacks and timers once
 * (`setImmediate`), so long snapshot and restore work never starves records,
 * barriers or heartbeats. A resolved promise alone would not: it runs as a
 * microtask before any I/O.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
