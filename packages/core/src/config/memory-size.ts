/** Memory sizes in configuration values, as Flink writes them: `1024`, `64 kb`, `512m`, `1g`, `2 tb`. */
import { InvalidArgumentError } from '../errors.js';

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  '': 1, b: 1, bytes: 1,
  k: 1024, kb: 1024, kibibytes: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mebibytes: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gibibytes: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tebibytes: 1024 ** 4,
};

const MEMORY_PATTERN = /^(\d+)\s*([a-zA-Z]*)$/;

/** Parses a memory size to bytes, or returns undefined when `text` is not one. */
export function tryParseMemorySize(text: string): number | undefined {
  const match = MEMORY_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const factor = BYTES_PER_UNIT[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * Parses a memory size to bytes (binary units: 1k = 1024).
 *
 * @throws InvalidArgumentError when `text` is not a memory size.
 */
export function parseMemorySize(text: string): number {
  const bytes = tryParseMemorySize(text);
  if (bytes === undefined) {
    throw new InvalidArgumentError(
      `Cannot parse memory size '${text}': expected a whole number with an optional unit (b, kb, mb, gb, tb), e.g. '512 mb'`,
    );
  }
  return bytes;
}
