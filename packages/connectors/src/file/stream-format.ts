/**
 * How a `FileSource` turns a file's bytes into records (Flink's
 * `StreamFormat`, reshaped for push-style decoding). The reader reads the file
 * in chunks with async I/O and feeds them to a decoder; the decoder reports how
 * many bytes the records it returned used, which gives the exact byte offset
 * of the next record: the split's position.
 */
export interface StreamFormat<T> {
  /** A decoder for one file, starting at a record boundary (the file start or a restored offset). */
  createDecoder(): RecordDecoder<T>;
}

/**
 * Decodes records from consecutive chunks of one file. Records must not be
 * `undefined` (it means "none ready").
 */
export interface RecordDecoder<T> {
  /** Appends the next bytes of the file. The decoder may keep `chunk`: the caller must not reuse it. */
  append(chunk: Buffer): void;
  /** The next complete record, or undefined when it needs more bytes (or, after `endOfInput`, when none is left). */
  next(): T | undefined;
  /** The file ended: the bytes left over form the last record. */
  endOfInput(): void;
  /** Bytes used by the records returned so far, counted from where the decoder started. */
  readonly consumedBytes: number;
}
