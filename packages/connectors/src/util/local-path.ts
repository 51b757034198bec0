/**
 * Turns what a user passes as a file connector path (a plain path or a
 * `file://` URI) into a node:fs path. The file connectors use node:fs
 * directly, so they work on local disks and on shared filesystems mounted at
 * the same path on every machine; other schemes (s3://, hdfs://) are refused.
 */
import { fileURLToPath } from 'node:url';
import { UnsupportedPathSchemeError } from '../connector-errors.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/**
 * @returns the path for node:fs: the URI's path for `file:` URIs, else `pathOrUri`
 * as given (relative paths resolve against the working directory of the process
 * that opens them, i.e. the TaskManager, so prefer absolute paths).
 * @throws UnsupportedPathSchemeError for any other URI scheme.
 */
export function toLocalPath(pathOrUri: string): string {
  if (typeof pathOrUri !== 'string' || pathOrUri.length === 0) {
    throw new TypeError(`A file connector needs a non-empty path, got ${JSON.stringify(pathOrUri)}.`);
  }
  if (/^file:/i.test(pathOrUri)) return fileURLToPath(pathOrUri);
  const scheme = SCHEME.exec(pathOrUri);
  if (scheme !== null) throw new UnsupportedPathSchemeError(pathOrUri, scheme[1]!.toLowerCase());
  return pathOrUri;
}
