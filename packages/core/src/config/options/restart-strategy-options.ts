import { durationOption, enumOption, intOption } from '../config-option.js';

/** How a job recovers from failures. */
export const RestartStrategyOptions = {
  TYPE: enumOption('restart-strategy.type', ['none', 'fixed-delay', 'exponential-delay', 'failure-rate'], {
    deprecatedKeys: ['restart-strategy'],
    valueAliases: {
      off: 'none',
      disable: 'none',
      fixeddelay: 'fixed-delay',
      exponentialdelay: 'exponential-delay',
      failurerate: 'failure-rate',
    },
    description: 'Restart strategy. Unset: fixed-delay when checkpointing is enabled, else none.',
  }),
  FIXED_DELAY_ATTEMPTS: intOption('restart-strategy.fixed-delay.attempts', {
    min: 0,
    description: 'Restarts attempted by the fixed-delay strategy before the job fails. Unset: unbounded.',
  }),
  FIXED_DELAY_DELAY: durationOption('restart-strategy.fixed-delay.delay', {
    defaultValue: 1_000,
    min: 0,
    description: 'Delay between two restarts of the fixed-delay strategy.',
  }),
  FAILURE_RATE_MAX_FAILURES: intOption('restart-strategy.failure-rate.max-failures-per-interval', {
    defaultValue: 1,
    min: 1,
    description: 'Failures allowed within one failure-rate interval before the job fails.',
  }),
  FAILURE_RATE_INTERVAL: durationOption('restart-strategy.failure-rate.failure-rate-interval', {
    defaultValue: 60_000,
    min: 1,
    description: 'Time window over which the failure-rate strategy counts failures.',
  }),
  FAILURE_RATE_DELAY: durationOption('restart-strategy.failure-rate.delay', {
    defaultValue: 1_000,
    min: 0,
    description: 'Delay between two restarts of the failure-rate strategy.',
  }),
  EXPONENTIAL_DELAY_INITIAL_BACKOFF: durationOption('restart-strategy.exponential-delay.initial-backoff', {
    defaultValue: 1_000,
    min: 0,
    description: 'First restart delay of the exponential-delay strategy; each further restart doubles it.',
  }),
  EXPONENTIAL_DELAY_MAX_BACKOFF: durationOption('restart-strategy.exponential-delay.max-backoff', {
    defaultValue: 60_000,
    min: 0,
    description: 'Upper bound of the exponential-delay restart delay.',
  }),
} as const;
