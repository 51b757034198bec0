/** Checks that span several keys, run after every value parsed on its own. */
import { formatDuration } from './duration.js';
import type { Configuration } from './configuration.js';
import { CoreOptions } from './options/core-options.js';
import { HeartbeatOptions } from './options/heartbeat-options.js';
import { PipelineOptions } from './options/pipeline-options.js';

/** A rule returns a problem (naming the keys and values) or undefined when the configuration satisfies it. */
export type ConfigurationRule = (config: Configuration) => string | undefined;

/** heartbeat.timeout must not be smaller than heartbeat.interval (else every peer looks lost). */
export const heartbeatTimeoutCoversInterval: ConfigurationRule = (config) => {
  const interval = config.get(HeartbeatOptions.INTERVAL);
  const timeout = config.get(HeartbeatOptions.TIMEOUT);
  return timeout < interval
    ? `Invalid value '${formatDuration(timeout)}' for '${HeartbeatOptions.TIMEOUT.key}': must not be smaller than ${HeartbeatOptions.INTERVAL.key} ('${formatDuration(interval)}').`
    : undefined;
};

/** parallelism.default must not exceed pipeline.max-parallelism when both are set. */
export const parallelismWithinMaxParallelism: ConfigurationRule = (config) => {
  const max = config.getOptional(PipelineOptions.MAX_PARALLELISM);
  const parallelism = config.get(CoreOptions.DEFAULT_PARALLELISM);
  return max !== undefined && parallelism > max
    ? `Invalid value '${parallelism}' for '${CoreOptions.DEFAULT_PARALLELISM.key}': must not exceed ${PipelineOptions.MAX_PARALLELISM.key} ('${max}').`
    : undefined;
};

/** Every rule the loader applies. */
export const CONFIGURATION_RULES: readonly ConfigurationRule[] = [
  heartbeatTimeoutCoversInterval,
  parallelismWithinMaxParallelism,
];
