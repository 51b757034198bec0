/** A source of wall-clock time, injected so that time-dependent logic can be tested by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock (`Date.now()`). */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
