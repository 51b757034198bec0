/**
 * Loads the configuration a daemon or the CLI runs with: defaults, then
 * `<confDir>/flink-conf.yaml`, then the environment (FLINK_LOG_DIR, FLINK_PID_DIR),
 * then `-D key=value` properties; a later source overrides an earlier one.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { findOption, knownKeys, UNUSED_FLINK_KEYS } from './all-options.js';
import type { ConfigOption } from './config-option.js';
import { findConfigFile, readConfigFile } from './config-file.js';
import { Configuration } from './configuration.js';
import { CONFIGURATION_RULES } from './configuration-rules.js';
import { parseDynamicProperties } from './dynamic-properties.js';
import { suggestKey } from './key-suggestion.js';
import { LogOptions } from './options/log-options.js';
import { parseOptionValue } from './parse-option-value.js';

/** Environment variables that override a configuration key, as in Flink's scripts. */
const ENVIRONMENT_OVERRIDES: ReadonlyArray<readonly [string, ConfigOption<unknown>]> = [
  ['FLINK_LOG_DIR', LogOptions.LOG_DIR],
  ['FLINK_PID_DIR', LogOptions.PID_DIR],
];

/** Where to look for configuration. */
export interface LoadConfigurationOptions {
  /** Directory holding flink-conf.yaml; default: `env.FLINK_CONF_DIR`, else none (defaults only). */
  confDir?: string;
  /** Environment variables; default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `key=value` strings from `-D` options; they override the file. */
  dynamicProperties?: readonly string[];
}

/** A loaded configuration with everything the user should be told about it. */
export interface LoadedConfiguration {
  config: Configuration;
  /** Deprecated keys, ignored aliases, unknown keys, legacy values: log these at warn level. */
  warnings: string[];
  /** Keys accepted but not used, the file format used, and the like: log these at info level. */
  notes: string[];
  /** The configuration directory used (absolute), if any. */
  confDir: string | undefined;
  /** The configuration file read, if any. */
  file?: string;
}

/** One source of raw values; `origin` marks keys in messages (e.g. ` (-D)`), empty for the file. */
interface ConfigLayer {
  readonly entries: ReadonlyMap<string, unknown>;
  readonly origin: (key: string) => string;
}

/** Collects what loading found. */
interface LoadReport {
  readonly warnings: string[];
  readonly notes: string[];
  readonly problems: string[];
}

/**
 * Loads the configuration. Every invalid value found in any source is collected
 * and reported together.
 *
 * @throws ConfigurationError listing every problem: values of the wrong type,
 *   bad URIs, values out of range, an unreadable file or a missing directory.
 */
export function loadConfiguration(options: LoadConfigurationOptions = {}): LoadedConfiguration {
  const env = options.env ?? process.env;
  const confDirFromEnv = nonEmpty(env['FLINK_CONF_DIR']);
  const givenConfDir = options.confDir ?? confDirFromEnv;
  const confDir = givenConfDir === undefined ? undefined : resolve(givenConfDir);
  const report: LoadReport = { warnings: [], notes: [], problems: [] };
  const config = new Configuration();

  let file: string | undefined;
  if (confDir === undefined) {
    report.notes.push('No configuration directory given (FLINK_CONF_DIR is not set); using defaults.');
  } else if (!isDirectory(confDir)) {
    const source = options.confDir === undefined ? ' (FLINK_CONF_DIR)' : '';
    report.problems.push(`Configuration directory '${confDir}'${source} does not exist or is not a directory.`);
  } else {
    file = findConfigFile(confDir);
    if (file === undefined) {
      report.notes.push(`No flink-conf.yaml or config.yaml in '${confDir}'; using defaults.`);
    } else {
      applyFile(config, file, report);
    }
  }

  const environment = new Map<string, unknown>();
  for (const [variable, option] of ENVIRONMENT_OVERRIDES) {
    const value = nonEmpty(env[variable]);
    if (value !== undefined) environment.set(option.key, value);
  }
  applyLayer(config, { entries: environment, origin: (key) => ` (${variableFor(key)})` }, report);

  const dynamic = parseDynamicProperties(options.dynamicProperties ?? []);
  report.problems.push(...dynamic.problems);
  applyLayer(config, { entries: dynamic.entries, origin: () => ' (-D)' }, report);

  if (report.problems.length === 0) {
    for (const rule of CONFIGURATION_RULES) {
      const problem = rule(config);
      if (problem !== undefined) report.problems.push(problem);
    }
  }
  if (report.problems.length > 0) {
    throw new ConfigurationError(report.problems, file === undefined ? 'Invalid configuration' : `Invalid configuration (${file})`);
  }
  return {
    config,
    warnings: report.warnings,
    notes: report.notes,
    confDir,
    ...(file === undefined ? {} : { file }),
  };
}

function applyFile(config: Configuration, file: string, report: LoadReport): void {
  let contents;
  try {
    contents = readConfigFile(file);
  } catch (error) {
    report.problems.push(`Cannot read configuration file '${file}': ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  report.warnings.push(...contents.warnings);
  report.notes.push(...contents.notes);
  applyLayer(config, { entries: contents.entries, origin: () => '' }, report);
}

/**
 * Applies one source. Within a source the current key beats its deprecated names,
 * and earlier deprecated names beat later ones; each deprecated name used draws a
 * warning naming the current key.
 */
function applyLayer(config: Configuration, layer: ConfigLayer, report: LoadReport): void {
  for (const [key, raw] of layer.entries) {
    const where = `'${key}'${layer.origin(key)}`;
    const lookup = findOption(key);
    if (lookup === undefined) {
      reportUnknownKey(key, where, report);
      continue;
    }
    const { option } = lookup;
    const winner = [option.key, ...option.deprecatedKeys].find((k) => layer.entries.has(k))!;
    if (winner !== key) {
      const advice = winner === option.key ? '' : ` (use '${option.key}')`;
      report.warnings.push(`Config key ${where} is deprecated and was ignored because '${winner}' is also set${advice}.`);
      continue;
    }
    if (lookup.deprecated) {
      report.warnings.push(`Config key ${where} is deprecated; use '${option.key}' instead.`);
    }
    if (raw === '' || raw === null || raw === undefined) {
      report.warnings.push(`Config key ${where} has no value; ignored.`);
      continue;
    }
    const parsed = parseOptionValue(option, raw);
    if ('error' in parsed) {
      report.problems.push(`Invalid value '${showRaw(raw)}' for ${where}: ${parsed.error}.`);
      continue;
    }
    if (parsed.warning !== undefined) {
      report.warnings.push(`Config key ${where} has legacy value '${showRaw(raw)}': ${parsed.warning}`);
    }
    config.set(option, parsed.value);
  }
}

function reportUnknownKey(key: string, where: string, report: LoadReport): void {
  if (UNUSED_FLINK_KEYS.includes(key)) {
    report.notes.push(`Config key ${where} is not used by tsflink; ignored.`);
    return;
  }
  const suggestion = suggestKey(key, knownKeys());
  if (suggestion === undefined) {
    report.warnings.push(`Unknown config key ${where} ignored.`);
    return;
  }
  const lookup = findOption(suggestion);
  const current = lookup?.deprecated ? ` (deprecated; the current key is ${lookup.option.key})` : '';
  report.warnings.push(`Unknown config key ${where} ignored; did you mean ${suggestion}?${current}`);
}

function variableFor(key: string): string {
  return ENVIRONMENT_OVERRIDES.find(([, option]) => option.key === key)?.[0] ?? 'environment';
}

function showRaw(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
