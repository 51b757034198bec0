/**
 * @tsflink/core: what every tsflink package shares — typed configuration and the
 * flink-conf.yaml loader, logging, ids, error types, clock and timers, shutdown.
 */
export * from './errors.js';
export * from './ids.js';
export * from './shutdown.js';
export { runDaemon } from './daemon.js';
export type { DaemonContext, DaemonOptions } from './daemon.js';
export { loadJobModule, packageRootOf } from './job-module-loader.js';
export type { JobModule, JobModuleLoaderOptions } from './job-module-loader.js';

export * from './config/config-option.js';
export * from './config/configuration.js';
export { ALL_OPTIONS, UNUSED_FLINK_KEYS, findOption, knownKeys } from './config/all-options.js';
export type { OptionLookup } from './config/all-options.js';
export { loadConfiguration } from './config/load-configuration.js';
export type { LoadConfigurationOptions, LoadedConfiguration } from './config/load-configuration.js';
export { CONFIG_FILE_NAMES, findConfigFile, parseConfigText, readConfigFile } from './config/config-file.js';
export type { ConfigFileContents } from './config/config-file.js';
export { parseDynamicProperties } from './config/dynamic-properties.js';
export type { DynamicProperties } from './config/dynamic-properties.js';
export { CONFIGURATION_RULES } from './config/configuration-rules.js';
export type { ConfigurationRule } from './config/configuration-rules.js';
export { formatDuration, parseDuration, tryParseDuration } from './config/duration.js';
export { parseMemorySize, tryParseMemorySize } from './config/memory-size.js';
export { normalizeUri, tryNormalizeUri } from './config/uri.js';
export { formatOptionValue, parseOptionValue } from './config/parse-option-value.js';
export type { ParsedOptionValue } from './config/parse-option-value.js';
export { suggestKey } from './config/key-suggestion.js';
export { CheckpointingOptions } from './config/options/checkpointing-options.js';
export { CoreOptions } from './config/options/core-options.js';
export { HdfsOptions } from './config/options/hdfs-options.js';
export { HeartbeatOptions } from './config/options/heartbeat-options.js';
export { JobManagerOptions } from './config/options/jobmanager-options.js';
export { LogOptions } from './config/options/log-options.js';
export { PipelineOptions } from './config/options/pipeline-options.js';
export { RestOptions } from './config/options/rest-options.js';
export { RestartStrategyOptions } from './config/options/restart-strategy-options.js';
export { S3Options } from './config/options/s3-options.js';
export { StateBackendOptions } from './config/options/state-backend-options.js';
export { TaskManagerOptions } from './config/options/taskmanager-options.js';

export { createLogger, createSilentLogger } from './logging/create-logger.js';
export type { ConsoleStream, CreateLoggerOptions, DaemonLogger, Logger } from './logging/create-logger.js';
export { currentHostname, currentUser, logFileName } from './logging/log-file-name.js';
export type { LogFileNameParts } from './logging/log-file-name.js';

export { SystemClock } from './time/clock.js';
export type { Clock } from './time/clock.js';
export { ManualClock } from './time/manual-clock.js';
export { SystemTimerService } from './time/timer-service.js';
export type { Cancellable, TimerService } from './time/timer-service.js';
export { ManualTimerService } from './time/manual-timer-service.js';
