import { ValueDecodingError } from './codec-errors.js';
import { ValueReader } from './value-reader.js';
import { ValueWriter } from './value-writer.js';

/**
 * Encodes one value on its own (one shape scope) into a new Buffer. For many
 * values, keep a {@link ValueWriter} instead: it reuses its buffer.
 */
export function encodeValue(value: unknown): Buffer {
  const writer = new ValueWriter(256);
  writer.writeValue(value);
  return writer.copyBytes();
}

/** Decodes a Buffer produced by {@link encodeValue}; the whole buffer must be one value. */
export function decodeValue(bytes: Buffer): unknown {
  const reader = new ValueReader(bytes);
  const value = reader.readValue();
  if (reader.remaining !== 0) {
    throw new ValueDecodingError(`${reader.remaining} unexpected trailing byte(s) after the value`);
  }
  return value;
}
