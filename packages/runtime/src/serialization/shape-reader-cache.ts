import type { ShapeBuilder, ValueReader } from './value-reader.js';

/** Default number of distinct shapes a cache compiles before it stops adding more. */
const DEFAULT_MAX_SHAPES = 1024;

/**
 * Compiled object builders for recurring object shapes, shared by the readers of
 * one decoder. A builder compiled with `new Function` creates each object with an
 * object literal, so V8 gives all of them one hidden class from the start; that
 * decodes objects about twice as fast as assigning keys one by one.
 *
 * Keys are embedded as JSON string literals (so no key can inject code); the key
 * `__proto__` is written as a computed key, which defines an own property instead
 * of setting the prototype. When the cache is full, or code generation from
 * strings is disabled in this process, shapes fall back to generic assignment.
 */
export class ShapeReaderCache {
  private readonly builders = new Map<string, ShapeBuilder>();
  private compileDisabled = false;

  /** @param maxShapes distinct shapes compiled at most; later new shapes are built generically. */
  constructor(private readonly maxShapes = DEFAULT_MAX_SHAPES) {}

  /** Number of compiled shapes held. */
  get size(): number {
    return this.builders.size;
  }

  /** The builder for objects with exactly these keys in this order. */
  builderFor(keys: readonly string[]): ShapeBuilder {
    const signature = JSON.stringify(keys);
    const cached = this.builders.get(signature);
    if (cached !== undefined) return cached;
    if (this.builders.size >= this.maxShapes) return (reader) => buildObjectGenerically(keys, reader);
    const builder = this.compile(keys);
    this.builders.set(signature, builder);
    return builder;
  }

  private compile(keys: readonly string[]): ShapeBuilder {
    if (!this.compileDisabled) {
      const fields = keys.map((key) => `${key === '__proto__' ? '["__proto__"]' : JSON.stringify(key)}: r.readNested()`);
      try {
        // Property values of an object literal are evaluated left to right, in key order.
        return new Function('r', `return { ${fields.join(', ')} };`) as ShapeBuilder;
      } catch {
        this.compileDisabled = true;
      }
    }
    return (reader) => buildObjectGenerically(keys, reader);
  }
}

/** Builds an object by assigning the keys one by one, reading each value in turn. */
export function buildObjectGenerically(keys: readonly string[], reader: ValueReader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) assignProperty(out, keys[i]!, reader.readNested());
  return out;
}

/** Sets an own enumerable property, also for the key `__proto__` (which plain assignment would not). */
export function assignProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
