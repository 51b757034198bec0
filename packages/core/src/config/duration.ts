/** Durations in configuration values: `500 ms`, `500ms`, `10 s`, `3min`, `1 h`, `2 d`; a plain number is milliseconds. */
import { InvalidArgumentError } from '../errors.js';

const MILLIS_PER_UNIT: Readonly<Record<string, number>> = {
  '': 1,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Units used by {@link formatDuration}, largest first. */
const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const DURATION_PATTERN = /^(\d+)\s*([a-zA-Z]*)$/;

/** Parses a duration to milliseconds, or returns undefined when `text` is not one. */
export function tryParseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const factor = MILLIS_PER_UNIT[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const millis = Number(match[1]) * factor;
  return Number.isSafeInteger(millis) ? millis : undefined;
}

/**
 * Parses a duration to milliseconds: a non-negative integer with an optional unit
 * (ms, s, min/m, h, d and their long forms), e.g. `500 ms`, `10s`, `3min`, `1500`.
 *
 * @throws InvalidArgumentError when `text` is not a duration.
 */
export function parseDuration(text: string): number {
  const millis = tryParseDuration(text);
  if (millis === undefined) {
    throw new InvalidArgumentError(
      `Cannot parse duration '${text}': expected a whole number with an optional unit (ms, s, min, h, d), e.g. '500 ms' or '10 s'`,
    );
  }
  return millis;
}

/** Formats milliseconds with the largest unit that divides them, e.g. 600000 → `10 min`, 1500 → `1500 ms`. */
export function formatDuration(millis: number): string {
  if (millis === 0) return '0 ms';
  for (const [unit, size] of FORMAT_UNITS) {
    if (millis % size === 0) return `${millis / size} ${unit}`;
  }
  return `${millis} ms`;
}
