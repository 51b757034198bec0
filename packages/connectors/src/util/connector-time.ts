/**
 * The time sources connectors that wait take: a clock to measure and a timer
 * service to wake up. Tests pass core's `ManualTimerService` (and its
 * `ManualClock`) so nothing sleeps.
 */
import { SystemTimerService } from '@tsflink/core';
import type { Clock, TimerService } from '@tsflink/core';
import { MonotonicClock } from './monotonic-clock.js';

export interface ConnectorTime {
  readonly clock: Clock;
  readonly timers: TimerService;
}

/** A monotonic clock and Node's timers. */
export function systemConnectorTime(): ConnectorTime {
  return { clock: new MonotonicClock(), timers: new SystemTimerService() };
}
