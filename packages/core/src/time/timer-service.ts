/** A scheduled action that can be called off. Cancelling twice, or after it ran, is harmless. */
export interface Cancellable {
  cancel(): void;
}

/**
 * Schedules callbacks. Components that act on time (checkpoint triggering and
 * timeouts, heartbeats, restart delays) take one in their constructor, so their
 * tests can drive time with {@link ManualTimerService} instead of sleeping.
 */
export interface TimerService {
  /** Runs `fn` once, `delayMillis` from now. */
  setTimeout(fn: () => void, delayMillis: number): Cancellable;
  /** Runs `fn` every `periodMillis`, the first time `periodMillis` from now. */
  setInterval(fn: () => void, periodMillis: number): Cancellable;
}

/** The real timers of Node.js. */
export class SystemTimerService implements TimerService {
  setTimeout(fn: () => void, delayMillis: number): Cancellable {
    const handle = setTimeout(fn, delayMillis);
    return { cancel: () => clearTimeout(handle) };
  }

  setInterval(fn: () => void, periodMillis: number): Cancellable {
    const handle = setInterval(fn, periodMillis);
    return { cancel: () => clearInterval(handle) };
  }
}
