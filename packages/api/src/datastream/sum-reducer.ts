/**
 * The reduce function behind `KeyedStream.sum`: adds numbers, or one field of
 * tuples (array index) or objects (property name). As in Flink, the other
 * fields keep the values of the key's first record.
 */
import type { ReduceFunction } from '../functions/functions.js';

export function createSumReducer<T>(field?: number | string): ReduceFunction<T> {
  if (field === undefined) {
    return {
      reduce: (a: T, b: T): T => {
        if (typeof a !== 'number' || typeof b !== 'number') {
          throw new TypeError(`sum() adds numbers, but a record is ${typeof (typeof a !== 'number' ? a : b)}; name the field to add, e.g. sum(1) or sum('count').`);
        }
        return (a + b) as T;
      },
    };
  }
  if (typeof field === 'number' && (!Number.isInteger(field) || field < 0)) {
    throw new Error(`sum() needs a non-negative field index or a property name, got ${field}.`);
  }
  const label = typeof field === 'number' ? `field ${field}` : `field "${field}"`;
  return {
    reduce: (a: T, b: T): T => {
      const x = readField(a, field, label);
      const y = readField(b, field, label);
      if (Array.isArray(a)) {
        const copy = a.slice();
        copy[field as number] = x + y;
        return copy as T;
      }
      return { ...(a as object), [field]: x + y } as T;
    },
  };
}

function readField(record: unknown, field: number | string, label: string): number {
  if (record === null || typeof record !== 'object') {
    throw new TypeError(`sum(${JSON.stringify(field)}) needs tuples or objects, but a record is ${record === null ? 'null' : typeof record}.`);
  }
  const value = (record as Record<string | number, unknown>)[field];
  if (typeof value !== 'number') throw new TypeError(`sum(${JSON.stringify(field)}): ${label} of a record is not a number (got ${typeof value}).`);
  return value;
}
