/** Storage locations in configuration values: URIs with a scheme, or absolute local paths. */
import { InvalidArgumentError } from '../errors.js';

const SCHEME_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s;

/**
 * Normalises a storage location, or returns why it is not one. Accepted:
 * `scheme://authority/path` and `scheme:/path` (e.g. `file:///x`, `file:/x` as
 * Flink prints it, `s3://bucket/p`, `hdfs://nn:8020/p`, `hdfs:///p`,
 * `webhdfs://host:port/p`), and absolute paths (`/x` → `file:///x`). The scheme
 * is lowercased; the rest is kept as written.
 */
export function tryNormalizeUri(input: string): { uri: string } | { error: string } {
  const text = input.trim();
  if (text === '') return { error: 'empty location' };
  if (text.startsWith('/')) return { uri: `file://${text}` };

  const match = SCHEME_PATTERN.exec(text);
  // A one-letter "scheme" is a Windows drive letter, not a URI.
  if (!match || match[1]!.length < 2) {
    return { error: 'not a URI (scheme://...) or an absolute path' };
  }
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  if (!rest.startsWith('/')) {
    return { error: `a URI needs a path after '${scheme}:', e.g. ${scheme}:///path or ${scheme}://host/path` };
  }
  const uri = scheme === 'file' && !rest.startsWith('//') ? `file://${rest}` : `${scheme}:${rest}`;

  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return { error: 'not a valid URI' };
  }
  if (parsed.host === '' && (parsed.pathname === '' || parsed.pathname === '/') && !rest.startsWith('///')) {
    return { error: 'a URI needs a host or a path' };
  }
  if (scheme === 's3' && parsed.host === '') {
    return { error: 'an s3 URI needs a bucket: s3://<bucket>/<path>' };
  }
  return { uri };
}

/**
 * Normalises a storage location (see {@link tryNormalizeUri}).
 *
 * @throws InvalidArgumentError when `input` is neither a URI nor an absolute path.
 */
export function normalizeUri(input: string): string {
  const result = tryNormalizeUri(input);
  if ('error' in result) throw new InvalidArgumentError(`Invalid location '${input}': ${result.error}`);
  return result.uri;
}
