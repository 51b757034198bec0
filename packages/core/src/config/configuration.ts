/** A set of typed configuration values. */
import { ConfigurationError } from '../errors.js';
import type { ConfigOption, ConfigOptionWithDefault } from './config-option.js';
import { formatOptionValue } from './parse-option-value.js';

interface Entry {
  readonly option: ConfigOption<unknown>;
  readonly value: unknown;
}

/**
 * Typed configuration values keyed by option. Values are stored already parsed
 * (durations in ms, URIs normalised); options that are not set read as their
 * default. Built by `loadConfiguration`, or by hand in tests.
 */
export class Configuration {
  private readonly entries = new Map<string, Entry>();

  /**
   * The value of an option that has a default: the value set, else the default.
   * For options without a default use {@link getOptional}.
   */
  get<T>(option: ConfigOptionWithDefault<T>): T {
    const value = this.getOptional(option);
    if (value === undefined) {
      throw new ConfigurationError(`No value for configuration key '${option.key}' and it has no default`);
    }
    return value;
  }

  /** The value set, else the default, else undefined. */
  getOptional<T>(option: ConfigOption<T>): T | undefined {
    const entry = this.entries.get(option.key);
    return entry === undefined ? option.defaultValue : (entry.value as T);
  }

  /** Sets an option's value (already typed: milliseconds for durations, a normalised URI for URIs). */
  set<T>(option: ConfigOption<T>, value: T): this {
    this.entries.set(option.key, { option: option as ConfigOption<unknown>, value });
    return this;
  }

  /** Removes a value, so the option reads as its default again. */
  remove(option: ConfigOption<unknown>): this {
    this.entries.delete(option.key);
    return this;
  }

  /** True when the option was set explicitly (a default does not count). */
  has(option: ConfigOption<unknown>): boolean {
    return this.entries.has(option.key);
  }

  /** The explicitly set values by key, in the order they were set. */
  toMap(): Map<string, unknown> {
    return new Map([...this.entries].map(([key, entry]) => [key, entry.value]));
  }

  /** The explicitly set values as `key=value` strings, to pass on as `-D` properties to another process. */
  toDynamicProperties(): string[] {
    return [...this.entries].map(([key, entry]) => `${key}=${formatOptionValue(entry.option, entry.value)}`);
  }

  /** An independent copy. */
  clone(): Configuration {
    const copy = new Configuration();
    for (const [key, entry] of this.entries) copy.entries.set(key, entry);
    return copy;
  }
}
