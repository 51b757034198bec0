import { ValueEncodingError } from './codec-errors.js';
import {
  FIXARRAY_MAX_LENGTH, FIXSTR_MAX_BYTES, MAX_NESTING_DEPTH, MAX_SHAPE_KEYS, NEGATIVE_FIXINT_MIN,
  TAG_ARRAY, TAG_BIGINT, TAG_BIGINT64, TAG_BUFFER, TAG_DATE, TAG_FALSE, TAG_FIXARRAY, TAG_FIXSTR,
  TAG_FLOAT64, TAG_INT32, TAG_MAP, TAG_NULL, TAG_OBJECT_INLINE, TAG_OBJECT_NEW_SHAPE, TAG_OBJECT_SHAPE,
  TAG_SET, TAG_STR32, TAG_STR8, TAG_TRUE, TAG_UINT8ARRAY, TAG_UNDEFINED,
} from './value-tags.js';

/** A node of the shape tree: the path from the root spells an object's key sequence. */
interface ShapeNode {
  /** Shape id in the current scope, or -1 while no object with exactly these keys was written. */
  id: number;
  next: Map<string, ShapeNode> | undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Strings up to this many UTF-16 units are encoded in JS; longer ones by `Buffer#write`. */
const SHORT_STRING_UNITS = 64;

function newShapeNode(): ShapeNode {
  return { id: -1, next: undefined };
}

/**
 * Appends values in the tsflink value encoding (see `value-tags.ts`) to a growing
 * buffer. One writer is reused for many values: it keeps its buffer, so encoding
 * allocates only when the buffer must grow.
 *
 * Object shapes (key sequences) are numbered within a scope that the owner resets
 * with {@link resetShapes}; the reader must reset at the same points.
 */
export class ValueWriter {
  private buffer: Buffer;
  private view: DataView;
  private position = 0;
  private depth = 0;
  private shapeRoot: ShapeNode = newShapeNode();
  private readonly shapes: ShapeNode[] = [];

  /** @param initialCapacity bytes allocated up front; the buffer doubles when full. */
  constructor(initialCapacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(64, initialCapacity));
    this.view = viewOf(this.buffer);
  }

  /** Number of bytes written since the last {@link clear} or {@link takeBytes}. */
  get length(): number {
    return this.position;
  }

  /** Capacity of the current buffer. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** The bytes written so far as a view into the internal buffer, valid until the next write or clear. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  /** The bytes written so far, copied into a new Buffer of exactly that size. */
  copyBytes(): Buffer {
    const out = Buffer.allocUnsafe(this.position);
    this.buffer.copy(out, 0, 0, this.position);
    return out;
  }

  /**
   * Hands the bytes written so far to the caller without copying and continues in
   * a fresh buffer of the same capacity. The shape scope is not reset.
   */
  takeBytes(): Buffer {
    const out = this.buffer.subarray(0, this.position);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.view = viewOf(this.buffer);
    this.position = 0;
    return out;
  }

  /**
   * Like {@link takeBytes}, but continues in `next`, a buffer the caller recycles
   * (for example one whose bytes were written out meanwhile), and returns the whole
   * current buffer: its first `length` bytes (read {@link length} before) are the
   * bytes written. The shape scope is not reset.
   */
  swapBuffer(next: Buffer): Buffer {
    if (next.length < 64) throw new RangeError(`A writer buffer needs at least 64 bytes, got ${next.length}`);
    const previous = this.buffer;
    this.buffer = next;
    this.view = viewOf(next);
    this.position = 0;
    return previous;
  }

  /** Forgets everything written (keeping the buffer) and starts a new shape scope. */
  clear(): void {
    this.position = 0;
    this.resetShapes();
  }

  /** Starts a new shape scope: later objects define their shapes again. */
  resetShapes(): void {
    if (this.shapes.length === 0) return;
    this.shapes.length = 0;
    this.shapeRoot = newShapeNode();
  }

  /** Number of shapes defined in the current scope (remember it with {@link length} to roll back). */
  get shapeCount(): number {
    return this.shapes.length;
  }

  /**
   * Undoes a failed write: drops the bytes after `position` and the shapes defined
   * after there were `shapeCount`, so the reader never meets a shape it was not shown.
   */
  rollback(position: number, shapeCount: number): void {
    if (position > this.position || shapeCount > this.shapes.length) {
      throw new RangeError(`Cannot roll back forward (to ${position} bytes, ${shapeCount} shapes)`);
    }
    this.position = position;
    for (let i = shapeCount; i < this.shapes.length; i++) this.shapes[i]!.id = -1;
    this.shapes.length = shapeCount;
  }

  /** Writes one value. Throws {@link ValueEncodingError} for unsupported values (the bytes written so far stay). */
  writeValue(value: unknown): void {
    this.depth = 0;
    this.write(value);
  }

  /** Writes one byte. */
  writeUint8(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  /** Writes an unsigned 32-bit integer, little-endian. */
  writeUint32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.position, value, true);
    this.position += 4;
  }

  /** Overwrites 4 bytes at an earlier position with an unsigned 32-bit integer, little-endian. */
  patchUint32(at: number, value: number): void {
    if (at < 0 || at + 4 > this.position) throw new RangeError(`Cannot patch 4 bytes at ${at}: only ${this.position} written`);
    this.view.setUint32(at, value, true);
  }

  /** Writes a non-negative integer below 2^32 as unsigned LEB128. */
  writeVarUint(value: number): void {
    if (!(value >= 0 && value <= 0xffffffff)) throw new RangeError(`Cannot write ${value} as a varuint`);
    this.ensure(5);
    const b = this.buffer;
    let v = value >>> 0;
    while (v >= 0x80) {
      b[this.position++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.position++] = v;
  }

  /**
   * Appends `bytes[from..to)` byte by byte: for the few bytes of an encoded key,
   * cheaper than `writeBytes(bytes.subarray(from, to))`, which allocates a view.
   */
  writeBytesRange(bytes: Uint8Array, from: number, to: number): void {
    this.ensure(to - from);
    const b = this.buffer;
    let p = this.position;
    for (let i = from; i < to; i++) b[p++] = bytes[i]!;
    this.position = p;
  }

  /** Appends raw bytes. */
  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.position);
    this.position += bytes.length;
  }

  private write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.writeString(value);
        return;
      case 'number':
        this.writeNumber(value);
        return;
      case 'object':
        if (value === null) this.writeUint8(TAG_NULL);
        else this.writeObjectLike(value);
        return;
      case 'boolean':
        this.writeUint8(value ? TAG_TRUE : TAG_FALSE);
        return;
      case 'undefined':
        this.writeUint8(TAG_UNDEFINED);
        return;
      case 'bigint':
        this.writeBigInt(value);
        return;
      default:
        throw new ValueEncodingError(`Cannot encode a value of type ${typeof value}: records and state values must be plain data`);
    }
  }

  /** Writes one number value: what {@link writeValue} does for a number, without the type dispatch. */
  writeNumber(v: number): void {
    this.ensure(9);
    const b = this.buffer;
    // (v | 0) === v holds for int32 values and for -0, which must keep its sign.
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      if (v >= 0) {
        if (v <= 0x7f) {
          b[this.position++] = v;
          return;
        }
      } else if (v >= NEGATIVE_FIXINT_MIN) {
        b[this.position++] = 0x100 + v;
        return;
      }
      b[this.position++] = TAG_INT32;
      this.view.setInt32(this.position, v, true);
      this.position += 4;
      return;
    }
    b[this.position++] = TAG_FLOAT64;
    this.view.setFloat64(this.position, v, true);
    this.position += 8;
  }

  /** Writes one string value: what {@link writeValue} does for a string, without the type dispatch. */
  writeString(s: string): void {
    const units = s.length;
    if (units <= FIXSTR_MAX_BYTES) {
      // Optimistically ASCII: one byte per unit behind a one-byte tag.
      this.ensure(2 + units * 3);
      const b = this.buffer;
      const start = this.position;
      let p = start + 1;
      let i = 0;
      for (; i < units; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p++] = c;
      }
      if (i === units) {
        b[start] = TAG_FIXSTR | units;
        this.position = p;
        return;
      }
      // Not ASCII: at most 3 bytes per unit, so a one-byte length always fits.
      const end = encodeUtf8(s, b, start + 2);
      b[start] = TAG_STR8;
      b[start + 1] = end - start - 2;
      this.position = end;
      return;
    }
    const maxBytes = units * 3;
    if (maxBytes <= 0xff) {
      this.ensure(2 + maxBytes);
      const start = this.position;
      const end = units <= SHORT_STRING_UNITS
        ? encodeUtf8(s, this.buffer, start + 2)
        : start + 2 + this.buffer.write(s, start + 2, 'utf8');
      this.buffer[start] = TAG_STR8;
      this.buffer[start + 1] = end - start - 2;
      this.position = end;
      return;
    }
    this.ensure(5 + maxBytes);
    const start = this.position;
    const written = this.buffer.write(s, start + 5, 'utf8');
    this.buffer[start] = TAG_STR32;
    this.view.setUint32(start + 1, written, true);
    this.position = start + 5 + written;
  }

  private writeObjectLike(value: object): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new ValueEncodingError(`Cannot encode a value nested deeper than ${MAX_NESTING_DEPTH} levels (is it cyclic?)`);
    }
    if (Array.isArray(value)) this.writeArray(value);
    else if (value.constructor === Object) this.writeObject(value as Record<string, unknown>);
    else if (value instanceof Date) this.writeDate(value);
    else if (value instanceof Map) this.writeMap(value);
    else if (value instanceof Set) this.writeSet(value);
    else if (value instanceof Uint8Array) this.writeByteArray(value);
    else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== null && proto !== Object.prototype) {
        const name = (value.constructor as { name?: string } | undefined)?.name ?? 'unknown';
        throw new ValueEncodingError(
          `Cannot encode an instance of ${name}: records and state values must be plain data ` +
          '(primitives, arrays, plain objects, Date, Map, Set, Uint8Array)',
        );
      }
      this.writeObject(value as Record<string, unknown>);
    }
    this.depth--;
  }

  private writeArray(array: readonly unknown[]): void {
    const n = array.length;
    if (n <= FIXARRAY_MAX_LENGTH) {
      this.writeUint8(TAG_FIXARRAY | n);
    } else {
      this.writeUint8(TAG_ARRAY);
      this.writeVarUint(n);
    }
    for (let i = 0; i < n; i++) this.write(array[i]);
  }

  private writeObject(object: Record<string, unknown>): void {
    let node = this.shapeRoot;
    let count = 0;
    for (const key in object) {
      if (++count > MAX_SHAPE_KEYS) {
        this.writeInlineObject(object);
        return;
      }
      let next = node.next === undefined ? undefined : node.next.get(key);
      if (next === undefined) {
        next = newShapeNode();
        (node.next ??= new Map()).set(key, next);
      }
      node = next;
    }
    if (node.id >= 0) {
      this.ensure(6);
      this.buffer[this.position++] = TAG_OBJECT_SHAPE;
      this.writeVarUint(node.id);
    } else {
      node.id = this.shapes.length;
      this.shapes.push(node);
      this.ensure(6);
      this.buffer[this.position++] = TAG_OBJECT_NEW_SHAPE;
      this.writeVarUint(count);
      for (const key in object) this.writeString(key);
    }
    for (const key in object) this.write(object[key]);
  }

  private writeInlineObject(object: Record<string, unknown>): void {
    const keys = Object.keys(object);
    this.writeUint8(TAG_OBJECT_INLINE);
    this.writeVarUint(keys.length);
    for (const key of keys) {
      this.writeString(key);
      this.write(object[key]);
    }
  }

  private writeDate(date: Date): void {
    this.ensure(9);
    this.buffer[this.position++] = TAG_DATE;
    this.view.setFloat64(this.position, date.getTime(), true);
    this.position += 8;
  }

  private writeMap(map: Map<unknown, unknown>): void {
    this.writeUint8(TAG_MAP);
    this.writeVarUint(map.size);
    for (const [k, v] of map) {
      this.write(k);
      this.write(v);
    }
  }

  private writeSet(set: Set<unknown>): void {
    this.writeUint8(TAG_SET);
    this.writeVarUint(set.size);
    for (const v of set) this.write(v);
  }

  private writeByteArray(bytes: Uint8Array): void {
    this.writeUint8(Buffer.isBuffer(bytes) ? TAG_BUFFER : TAG_UINT8ARRAY);
    this.writeVarUint(bytes.length);
    this.writeBytes(bytes);
  }

  private writeBigInt(value: bigint): void {
    if (value >= INT64_MIN && value <= INT64_MAX) {
      this.ensure(9);
      this.buffer[this.position++] = TAG_BIGINT64;
      this.view.setBigInt64(this.position, value, true);
      this.position += 8;
      return;
    }
    const negative = value < 0n;
    let hex = (negative ? -value : value).toString(16);
    if (hex.length % 2 === 1) hex = '0' + hex;
    const magnitude = Buffer.from(hex, 'hex').reverse();
    this.writeUint8(TAG_BIGINT);
    this.writeUint8(negative ? 1 : 0);
    this.writeVarUint(magnitude.length);
    this.writeBytes(magnitude);
  }

  private ensure(bytes: number): void {
    if (this.position + bytes > this.buffer.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < this.position + bytes) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
    this.view = viewOf(next);
  }
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Encodes `s` as UTF-8 into `b` at `p` (the caller ensured 3 bytes per UTF-16 unit)
 * and returns the end position. Lone surrogates become U+FFFD, as `Buffer#write` does.
 */
function encodeUtf8(s: string, b: Buffer, p: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        b[p++] = 0xf0 | (cp >> 18);
        b[p++] = 0x80 | ((cp >> 12) & 0x3f);
        b[p++] = 0x80 | ((cp >> 6) & 0x3f);
        b[p++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        c = 0xfffd;
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    } else {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}
