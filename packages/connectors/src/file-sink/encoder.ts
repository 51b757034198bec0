/** Turns a record into the bytes of a row-format file (Flink's `Encoder`). */
export interface Encoder<T> {
  /** The bytes to append for `element`, including any record separator. */
  encode(element: T): string | Uint8Array;
}

/** Flink's `SimpleStringEncoder`: `String(element)` followed by a newline, in UTF-8. */
export class SimpleStringEncoder<T> implements Encoder<T> {
  encode(element: T): string {
    return `${String(element)}\n`;
  }
}
