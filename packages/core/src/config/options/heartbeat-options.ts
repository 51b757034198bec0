import { durationOption } from '../config-option.js';

/**
 * Liveness between JobManager and TaskManagers. Far shorter than Flink's 10 s / 50 s,
 * so a hung TaskManager is detected within seconds (a closed connection is noticed at once).
 */
export const HeartbeatOptions = {
  INTERVAL: durationOption('heartbeat.interval', {
    defaultValue: 1_000,
    min: 1,
    description: 'Time between two heartbeats.',
  }),
  TIMEOUT: durationOption('heartbeat.timeout', {
    defaultValue: 4_000,
    min: 1,
    description: 'A peer not heard from within this time is considered lost; must not be smaller than heartbeat.interval.',
  }),
} as const;
