/**
 * Reading flink-conf.yaml: YAML (flat `a.b.c: v` keys, nested maps, or both), with
 * Flink's own line-by-line `key: value` reading as the fallback for files that
 * are not valid YAML.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** File names looked for in a configuration directory, in order (`config.yaml` is Flink 1.19+'s name). */
export const CONFIG_FILE_NAMES = ['flink-conf.yaml', 'config.yaml'] as const;

/** The raw entries of a configuration file, before any option is looked up. */
export interface ConfigFileContents {
  /** Flattened keys (`a.b.c`) to raw values (normally strings), in file order; a repeated key keeps its last value. */
  readonly entries: Map<string, unknown>;
  /** Lines that could not be read (legacy format only). */
  readonly warnings: string[];
  /** Informational messages, e.g. that the file was read in the legacy format. */
  readonly notes: string[];
}

/** The configuration file in `confDir`, or undefined when it holds none. */
export function findConfigFile(confDir: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => join(confDir, name)).find((path) => existsSync(path));
}

/** Reads and parses a configuration file. Errors of the file system (missing, unreadable) propagate. */
export function readConfigFile(path: string): ConfigFileContents {
  return parseConfigText(readFileSync(path, 'utf8'), path);
}

/**
 * Parses the text of a configuration file. Tries YAML first (every scalar kept as
 * text, so `0123` stays `0123`); when that fails or does not yield a map, reads
 * the text line by line as Flink's legacy format does.
 */
export function parseConfigText(text: string, fileName: string): ConfigFileContents {
  let document: unknown;
  let yamlError: string | undefined;
  try {
    document = parseYaml(text, { schema: 'failsafe' });
  } catch (error) {
    yamlError = firstLine(error instanceof Error ? error.message : String(error));
  }
  if (yamlError === undefined && (document === null || document === undefined)) {
    return { entries: new Map(), warnings: [], notes: [] };
  }
  if (yamlError === undefined && isPlainMap(document)) {
    const entries = new Map<string, unknown>();
    flatten(document, '', entries);
    return { entries, warnings: [], notes: [] };
  }
  const reason = yamlError ?? 'the top level is not a map of keys';
  const legacy = parseLegacyLines(text, fileName);
  return {
    ...legacy,
    notes: [`${fileName} is not valid YAML (${reason}); read it line by line as 'key: value' pairs, as Flink does.`],
  };
}

/** Flink's legacy reader: one `key: value` per line, `#` starts a comment, the last of repeated keys wins. */
function parseLegacyLines(text: string, fileName: string): Omit<ConfigFileContents, 'notes'> {
  const entries = new Map<string, unknown>();
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = stripComment(rawLine).trim();
    if (line === '') return;
    const where = `${fileName}:${index + 1}`;
    const separator = line.indexOf(': ');
    if (separator < 0) {
      warnings.push(`${where}: cannot read '${line}' as 'key: value'; line ignored.`);
      return;
    }
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 2).trim();
    if (key === '' || value === '') {
      warnings.push(`${where}: '${line}' has an empty key or value; line ignored.`);
      return;
    }
    entries.delete(key); // keep file order of the last occurrence
    entries.set(key, value);
  });
  return { entries, warnings };
}

/** Cuts a comment: a `#` at the start of the line or after whitespace. */
function stripComment(line: string): string {
  const match = /(^|\s)#/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

function flatten(map: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [key, value] of Object.entries(map)) {
    const fullKey = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainMap(value)) {
      flatten(value, fullKey, out);
    } else {
      out.delete(fullKey);
      out.set(fullKey, value);
    }
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.replace(/:\s*$/, '');
}
