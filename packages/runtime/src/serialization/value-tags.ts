/**
 * The tsflink value encoding, version 1: a compact, self-delimiting binary form of
 * plain JavaScript data, used for records on the wire and for values in state
 * snapshots. Every value starts with one tag byte:
 *
 * | tag         | value                                                              |
 * |-------------|--------------------------------------------------------------------|
 * | 0x00–0x7F   | integer 0..127 (the tag is the value)                              |
 * | 0x80–0x8F   | array of 0..15 elements, then the elements                         |
 * | 0x90        | null                                                               |
 * | 0x91        | undefined                                                          |
 * | 0x92 / 0x93 | false / true                                                       |
 * | 0x94        | int32, 4 bytes little-endian                                       |
 * | 0x95        | float64, 8 bytes little-endian (-0, NaN, ±Infinity, non-int32)     |
 * | 0x96        | string: u8 byte length, UTF-8 bytes                                |
 * | 0x97        | string: u32 LE byte length, UTF-8 bytes                            |
 * | 0x98        | array: varuint length, then the elements                           |
 * | 0x99        | object with a new shape: varuint key count, the keys (as string    |
 * |             | values), then the values; the shape gets the next shape id         |
 * | 0x9A        | object with a known shape: varuint shape id, then the values       |
 * | 0x9B        | bigint in int64 range: 8 bytes little-endian two's complement      |
 * | 0x9C        | bigint: u8 sign (0 = positive, 1 = negative), varuint byte length, |
 * |             | magnitude little-endian                                            |
 * | 0x9D        | Date: float64 LE milliseconds since the epoch (NaN when invalid)   |
 * | 0x9E        | Map: varuint size, then key and value of each entry                |
 * | 0x9F        | Set: varuint size, then the elements                               |
 * | 0xA0–0xBF   | string of 0..31 UTF-8 bytes, then the bytes                        |
 * | 0xC0        | Uint8Array: varuint length, bytes                                  |
 * | 0xC1        | Buffer: varuint length, bytes                                      |
 * | 0xC2        | object without shape (many keys): varuint key count, then each key |
 * |             | (string value) followed by its value                               |
 * | 0xC3–0xDF   | reserved                                                           |
 * | 0xE0–0xFF   | integer -32..-1 (tag - 0x100)                                      |
 *
 * Shapes are numbered from 0 in the order they are defined. Their scope is one
 * "shape scope" chosen by the container: one record batch, one key group of a
 * keyed-state snapshot, one element of operator state. A reader must reset its
 * shape table exactly where the writer did.
 *
 * A varuint is unsigned LEB128 (7 bits per byte, low bits first) of at most 5 bytes.
 * Changing anything here changes the stored snapshot formats: bump their versions.
 */

/** Version of the value encoding described above. */
export const VALUE_ENCODING_VERSION = 1;

export const TAG_FIXINT_MAX = 0x7f;
export const TAG_FIXARRAY = 0x80;
export const FIXARRAY_MAX_LENGTH = 15;
export const TAG_NULL = 0x90;
export const TAG_UNDEFINED = 0x91;
export const TAG_FALSE = 0x92;
export const TAG_TRUE = 0x93;
export const TAG_INT32 = 0x94;
export const TAG_FLOAT64 = 0x95;
export const TAG_STR8 = 0x96;
export const TAG_STR32 = 0x97;
export const TAG_ARRAY = 0x98;
export const TAG_OBJECT_NEW_SHAPE = 0x99;
export const TAG_OBJECT_SHAPE = 0x9a;
export const TAG_BIGINT64 = 0x9b;
export const TAG_BIGINT = 0x9c;
export const TAG_DATE = 0x9d;
export const TAG_MAP = 0x9e;
export const TAG_SET = 0x9f;
export const TAG_FIXSTR = 0xa0;
export const FIXSTR_MAX_BYTES = 31;
export const TAG_UINT8ARRAY = 0xc0;
export const TAG_BUFFER = 0xc1;
export const TAG_OBJECT_INLINE = 0xc2;
export const TAG_NEGATIVE_FIXINT = 0xe0;
export const NEGATIVE_FIXINT_MIN = -32;

/** Objects with more keys than this are written without a shape (dictionary-like objects). */
export const MAX_SHAPE_KEYS = 32;
/** Arrays, objects, maps and sets may nest at most this deep (guards against cycles and corrupt input). */
export const MAX_NESTING_DEPTH = 512;
