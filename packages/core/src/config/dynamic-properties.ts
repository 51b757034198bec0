/** `-D key=value` properties given to the CLI and the daemons. */

/** Parsed dynamic properties: entries in order (a repeated key keeps its last value) and malformed arguments. */
export interface DynamicProperties {
  readonly entries: Map<string, string>;
  readonly problems: string[];
}

/** Parses `key=value` strings; the value is everything after the first `=`. */
export function parseDynamicProperties(properties: readonly string[]): DynamicProperties {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  for (const property of properties) {
    const separator = property.indexOf('=');
    const key = separator < 0 ? '' : property.slice(0, separator).trim();
    if (key === '') {
      problems.push(`Invalid dynamic property '-D ${property}': expected key=value.`);
      continue;
    }
    entries.delete(key);
    entries.set(key, property.slice(separator + 1).trim());
  }
  return { entries, problems };
}
