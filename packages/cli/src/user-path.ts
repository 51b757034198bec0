import { resolve } from 'node:path';

/**
 * A path typed by the user, made absolute against the CLI's working directory
 * (the JobManager resolves paths in its own process, elsewhere). URIs
 * (`s3://`, `hdfs://`, `file:/...`) pass through unchanged.
 */
export function userPath(path: string, cwd: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.startsWith('/')) return path;
  return resolve(cwd, path);
}
