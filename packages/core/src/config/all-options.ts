/** The registry of every configuration key tsflink knows, and the lookups the loader needs. */
import type { ConfigOption } from './config-option.js';
import { CheckpointingOptions } from './options/checkpointing-options.js';
import { CoreOptions } from './options/core-options.js';
import { HdfsOptions } from './options/hdfs-options.js';
import { HeartbeatOptions } from './options/heartbeat-options.js';
import { JobManagerOptions } from './options/jobmanager-options.js';
import { LogOptions } from './options/log-options.js';
import { PipelineOptions } from './options/pipeline-options.js';
import { RestOptions } from './options/rest-options.js';
import { RestartStrategyOptions } from './options/restart-strategy-options.js';
import { S3Options } from './options/s3-options.js';
import { StateBackendOptions } from './options/state-backend-options.js';
import { TaskManagerOptions } from './options/taskmanager-options.js';

const OPTION_GROUPS = [
  JobManagerOptions,
  RestOptions,
  TaskManagerOptions,
  CoreOptions,
  PipelineOptions,
  StateBackendOptions,
  CheckpointingOptions,
  RestartStrategyOptions,
  HeartbeatOptions,
  S3Options,
  HdfsOptions,
  LogOptions,
] as const;

/** Every declared option, group by group. */
export const ALL_OPTIONS: readonly ConfigOption<unknown>[] = Object.freeze(
  OPTION_GROUPS.flatMap((group) => Object.values(group) as ConfigOption<unknown>[]),
);

/**
 * Common Flink keys that tsflink does not use. They are accepted without an
 * unknown-key warning, so a Flink configuration file loads as it is; the loader
 * notes that they are ignored.
 */
export const UNUSED_FLINK_KEYS: readonly string[] = Object.freeze([
  'jobmanager.memory.process.size',
  'taskmanager.memory.process.size',
  'taskmanager.memory.flink.size',
  'jobmanager.execution.failover-strategy',
]);

/** The option a key belongs to, and whether the key is one of its deprecated names. */
export interface OptionLookup {
  readonly option: ConfigOption<unknown>;
  readonly deprecated: boolean;
}

const BY_KEY: ReadonlyMap<string, OptionLookup> = buildKeyIndex(ALL_OPTIONS);

/** Finds the option that `key` names, by its current or a deprecated name. */
export function findOption(key: string): OptionLookup | undefined {
  return BY_KEY.get(key);
}

/** Every key the loader accepts: current names, deprecated names and {@link UNUSED_FLINK_KEYS}. */
export function knownKeys(): string[] {
  return [...BY_KEY.keys(), ...UNUSED_FLINK_KEYS];
}

function buildKeyIndex(options: readonly ConfigOption<unknown>[]): Map<string, OptionLookup> {
  const index = new Map<string, OptionLookup>();
  const add = (key: string, lookup: OptionLookup): void => {
    if (index.has(key)) throw new Error(`Configuration key '${key}' is declared twice`);
    index.set(key, lookup);
  };
  for (const option of options) {
    add(option.key, { option, deprecated: false });
    for (const alias of option.deprecatedKeys) add(alias, { option, deprecated: true });
  }
  return index;
}
