/** Turns a raw configuration value (text from flink-conf.yaml, `-D` or the environment) into an option's typed value. */
import type { ConfigOption } from './config-option.js';
import { formatDuration, tryParseDuration } from './duration.js';
import { tryParseMemorySize } from './memory-size.js';
import { tryNormalizeUri } from './uri.js';

/** The outcome of parsing one value: the typed value (maybe with a warning), or why it is invalid. */
export type ParsedOptionValue<T> = { readonly value: T; readonly warning?: string } | { readonly error: string };

const INT_PATTERN = /^[+-]?\d+$/;

/**
 * Parses `raw` as a value of `option`: checks its type, its range and the
 * option's own validation. `raw` is normally a string; numbers and booleans are
 * accepted as their text, anything else (a YAML list or map) is an error.
 */
export function parseOptionValue<T>(option: ConfigOption<T>, raw: unknown): ParsedOptionValue<T> {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return { error: 'expected a single value' };
  }
  const text = String(raw).trim();
  const parsed = parseByType(option, text);
  if ('error' in parsed) return parsed;
  const value = parsed.value as T;
  const problem = checkRange(option, value) ?? option.validate?.(value);
  if (problem !== undefined) return { error: problem };
  return parsed.warning === undefined ? { value } : { value, warning: parsed.warning };
}

/** Formats a typed value back into the text form the loader accepts (e.g. for `-D` on a child process). */
export function formatOptionValue<T>(option: ConfigOption<T>, value: T): string {
  if (option.type === 'duration') return formatDuration(value as number);
  return String(value);
}

function parseByType(option: ConfigOption<unknown>, text: string): ParsedOptionValue<unknown> {
  switch (option.type) {
    case 'string':
      return { value: text };
    case 'int': {
      const n = INT_PATTERN.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(n) ? { value: n } : { error: 'expected an integer' };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true') return { value: true };
      if (lower === 'false') return { value: false };
      return { error: 'expected true or false' };
    }
    case 'duration': {
      const millis = tryParseDuration(text);
      return millis === undefined
        ? { error: "expected a duration such as '500 ms', '10 s', '3 min' (a plain number is milliseconds)" }
        : { value: millis };
    }
    case 'memory': {
      const bytes = tryParseMemorySize(text);
      return bytes === undefined ? { error: "expected a memory size such as '512 mb' or '1 gb'" } : { value: bytes };
    }
    case 'uri': {
      const result = tryNormalizeUri(text);
      return 'error' in result ? result : { value: result.uri };
    }
    case 'enum':
      return parseEnum(option, text);
  }
}

function parseEnum(option: ConfigOption<unknown>, text: string): ParsedOptionValue<unknown> {
  const values = option.enumValues ?? [];
  const lower = text.toLowerCase();
  const canonical = values.find((v) => v.toLowerCase() === lower);
  if (canonical !== undefined) return { value: canonical };
  const alias = option.valueAliases?.[lower];
  if (alias !== undefined) return { value: alias };
  const legacy = option.legacyValues?.[lower];
  if (legacy !== undefined) return { value: legacy.replacement, warning: legacy.warning };
  return { error: `expected one of ${values.join(', ')}` };
}

function checkRange(option: ConfigOption<unknown>, value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  const { min, max } = option;
  const show = (n: number): string => (option.type === 'duration' ? formatDuration(n) : String(n));
  if (min !== undefined && max !== undefined && (value < min || value > max)) {
    return `must be between ${show(min)} and ${show(max)}`;
  }
  if (min !== undefined && value < min) return `must be at least ${show(min)}`;
  if (max !== undefined && value > max) return `must be at most ${show(max)}`;
  return undefined;
}
