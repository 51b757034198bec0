import { performance } from 'node:perf_hooks';
import type { Clock } from '@tsflink/core';

/**
 * A clock that never goes backwards (unlike `Date.now()`, which follows NTP
 * adjustments): `performance.timeOrigin + performance.now()`, in epoch
 * milliseconds. Rate limiting and directory monitoring measure intervals with it.
 */
export class MonotonicClock implements Clock {
  now(): number {
    return performance.timeOrigin + performance.now();
  }
}
