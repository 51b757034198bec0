/**
 * Typed configuration options, declared once each with type, default, deprecated
 * aliases and a description (Flink's `ConfigOption`). The loader, the docs and
 * `Configuration.get` all work from these declarations.
 */

/** How a raw string from flink-conf.yaml or `-D` is parsed. */
export type ConfigOptionType = 'string' | 'int' | 'boolean' | 'duration' | 'uri' | 'enum' | 'memory';

/** A legacy enum value that is still accepted, replaced by a current one with a warning. */
export interface LegacyValue {
  /** The current value used instead. */
  readonly replacement: string;
  /** Why the value is legacy and what happens now; shown to the user. */
  readonly warning: string;
}

/**
 * One configuration key. Value types by {@link ConfigOptionType}: `duration` is
 * milliseconds, `memory` is bytes, `uri` is a normalised URI string (plain
 * absolute paths become `file:///...`), `enum` is one of {@link enumValues}.
 */
export interface ConfigOption<T> {
  /** The current key, e.g. `execution.checkpointing.dir`. */
  readonly key: string;
  readonly type: ConfigOptionType;
  /** Used when the key is not set; absent when "unset" has a meaning of its own. */
  readonly defaultValue?: T;
  /** Older names still accepted (with a warning), in order of preference. */
  readonly deprecatedKeys: readonly string[];
  readonly description: string;
  /** The canonical spellings of an `enum` option (matched case-insensitively). */
  readonly enumValues?: readonly string[];
  /** Other spellings of enum values, mapped silently (keys lowercase), e.g. `off` → `none`. */
  readonly valueAliases?: Readonly<Record<string, string>>;
  /** Legacy enum values still accepted with a warning (keys lowercase). */
  readonly legacyValues?: Readonly<Record<string, LegacyValue>>;
  /** Smallest allowed value (`int`: the number, `duration`: ms, `memory`: bytes). */
  readonly min?: number;
  /** Largest allowed value, same units as {@link min}. */
  readonly max?: number;
  /** Extra check on a parsed value; returns why it is invalid, or undefined when fine. */
  validate?(value: T): string | undefined;
}

/** An option that always has a value: its default applies when it is not set. */
export interface ConfigOptionWithDefault<T> extends ConfigOption<T> {
  readonly defaultValue: T;
}

/** What a declaration provides besides the key and the type. */
export interface OptionSpec<T> {
  readonly description: string;
  readonly defaultValue?: T;
  readonly deprecatedKeys?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  validate?(value: T): string | undefined;
}

/** Declares an option with a default as {@link ConfigOptionWithDefault}, otherwise as {@link ConfigOption}. */
export type DeclaredOption<T, S> = S extends { readonly defaultValue: T } ? ConfigOptionWithDefault<T> : ConfigOption<T>;

function declareOption<T, S extends OptionSpec<T>>(
  key: string,
  type: ConfigOptionType,
  spec: S,
  extra: Partial<ConfigOption<T>> = {},
): DeclaredOption<T, S> {
  const option: ConfigOption<T> = {
    key,
    type,
    description: spec.description,
    deprecatedKeys: [...(spec.deprecatedKeys ?? [])],
    ...(spec.defaultValue === undefined ? {} : { defaultValue: spec.defaultValue }),
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(spec.validate === undefined ? {} : { validate: spec.validate }),
    ...extra,
  };
  return Object.freeze(option) as DeclaredOption<T, S>;
}

/** Declares a free-text option. */
export function stringOption<S extends OptionSpec<string>>(key: string, spec: S): DeclaredOption<string, S> {
  return declareOption<string, S>(key, 'string', spec);
}

/** Declares an integer option (`min`/`max` bound it). */
export function intOption<S extends OptionSpec<number>>(key: string, spec: S): DeclaredOption<number, S> {
  return declareOption<number, S>(key, 'int', spec);
}

/** Declares a `true`/`false` option. */
export function booleanOption<S extends OptionSpec<boolean>>(key: string, spec: S): DeclaredOption<boolean, S> {
  return declareOption<boolean, S>(key, 'boolean', spec);
}

/** Declares a duration option; values are milliseconds, written like `500 ms`, `10 s`, `3 min`. */
export function durationOption<S extends OptionSpec<number>>(key: string, spec: S): DeclaredOption<number, S> {
  return declareOption<number, S>(key, 'duration', spec);
}

/** Declares a memory-size option; values are bytes, written like `512m`, `1 gb`. */
export function memoryOption<S extends OptionSpec<number>>(key: string, spec: S): DeclaredOption<number, S> {
  return declareOption<number, S>(key, 'memory', spec);
}

/** Declares a URI option (`file:///x`, `s3://bucket/p`, `hdfs://nn:8020/p`, or an absolute path). */
export function uriOption<S extends OptionSpec<string>>(key: string, spec: S): DeclaredOption<string, S> {
  return declareOption<string, S>(key, 'uri', spec);
}

/** What an enum declaration adds: its values and the other spellings it accepts. */
export interface EnumSpec<V extends string> extends OptionSpec<V> {
  readonly valueAliases?: Readonly<Record<string, V>>;
  readonly legacyValues?: Readonly<Record<string, LegacyValue & { readonly replacement: V }>>;
}

/** Declares an option whose value is one of `values` (case-insensitive; the canonical spelling is stored). */
export function enumOption<const V extends string, S extends EnumSpec<V>>(
  key: string,
  values: readonly V[],
  spec: S,
): DeclaredOption<V, S> {
  return declareOption<V, S>(key, 'enum', spec, {
    enumValues: [...values],
    ...(spec.valueAliases === undefined ? {} : { valueAliases: lowerCaseKeys(spec.valueAliases) }),
    ...(spec.legacyValues === undefined ? {} : { legacyValues: lowerCaseKeys(spec.legacyValues) }),
  });
}

function lowerCaseKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
