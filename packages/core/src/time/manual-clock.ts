import type { Clock } from './clock.js';

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private current: number;

  constructor(startMillis = 0) {
    this.current = startMillis;
  }

  now(): number {
    return this.current;
  }

  /** Sets the time to `millis`. Time may not go backwards. */
  set(millis: number): void {
    if (millis < this.current) {
      throw new RangeError(`ManualClock cannot go back from ${this.current} to ${millis}`);
    }
    this.current = millis;
  }

  /** Moves the time forward by `millis` (≥ 0). */
  advance(millis: number): void {
    this.set(this.current + millis);
  }
}
