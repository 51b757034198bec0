import { TsflinkError } from '@tsflink/core';

/** Errors of the value codec, one class per condition. */

/**
 * Thrown when a value cannot be encoded: a function, a symbol, an instance of a
 * class other than the supported built-ins (Date, Map, Set, Uint8Array, Buffer),
 * or nesting deeper than the limit (usually a cyclic structure).
 */
export class ValueEncodingError extends TsflinkError {}

/** Thrown when bytes cannot be decoded: truncated input, an unknown tag, an undefined shape id. */
export class ValueDecodingError extends TsflinkError {}
