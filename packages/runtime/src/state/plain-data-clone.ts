/**
 * Deep copy of plain state data (primitives, arrays, plain objects, Date, Map,
 * Set, typed byte arrays), used by copy-on-write so that a snapshot and the live
 * state never share a mutable object. Primitives are returned as they are, so
 * copying a key group of numbers or strings costs only the Map copy.
 *
 * Other objects (class instances) are returned as they are: they cannot be stored
 * in a snapshot anyway, and writing one fails with a clear error.
 */
export function clonePlainData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  return cloneObject(value) as T;
}

function cloneObject(value: object): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clonePlainData(value[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = proto === null ? Object.create(null) as Record<string, unknown> : {};
    for (const key of Object.keys(value)) {
      const v = clonePlainData((value as Record<string, unknown>)[key]);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(k, clonePlainData(v));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    for (const v of value) out.add(clonePlainData(v));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value instanceof Uint8Array) return value.slice();
  return value;
}
