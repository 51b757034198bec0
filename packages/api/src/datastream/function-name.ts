/** The class name of a user function object, for operator names (Flink shows the UDF's class). */
export function functionName(fn: unknown, fallback: string): string {
  if (fn === null || typeof fn !== 'object') return fallback;
  const name = Object.getPrototypeOf(fn)?.constructor?.name;
  return typeof name === 'string' && name.length > 0 && name !== 'Object' ? name : fallback;
}
