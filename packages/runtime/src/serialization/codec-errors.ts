/**
 * Errors of the value codec. (They extend `Error` directly; once `@tsflink/core`
 * exports `TsflinkError` they should extend that instead.)
 */

/**
 * Thrown when a value cannot be encoded: a function, a symbol, an instance of a
 * class other than the supported built-ins (Date, Map, Set, Uint8Array, Buffer),
 * or nesting deeper than the limit (usually a cyclic structure).
 */
export class ValueEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Thrown when bytes cannot be decoded: truncated input, an unknown tag, an undefined shape id. */
export class ValueDecodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
