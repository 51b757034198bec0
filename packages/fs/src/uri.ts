/** URI helpers shared by all file systems. All paths inside tsflink are URI strings. */

/** The scheme of a path: 'file' for plain absolute paths. */
export function schemeOf(path: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(path);
  return m ? m[1]!.toLowerCase() : 'file';
}

/** Normalises a plain path or `file:` URI to `file:///abs/path` form; other schemes pass through. */
export function normalizeUri(path: string): string {
  if (schemeOf(path) !== 'file') return stripTrailingSlash(path);
  if (path.startsWith('file:')) {
    const rest = path.slice('file:'.length).replace(/^\/+/, '/');
    return 'file://' + stripTrailingSlash(rest);
  }
  if (!path.startsWith('/')) throw new Error(`Path '${path}' is not absolute; use an absolute path or a URI such as file:///tmp/x.`);
  return 'file://' + stripTrailingSlash(path);
}

function stripTrailingSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') && !p.endsWith('://') ? p.replace(/\/+$/, '') : p;
}

/** Joins path segments onto a URI with single slashes. */
export function joinPath(base: string, ...segments: string[]): string {
  let out = base.replace(/\/+$/, '');
  for (const s of segments) {
    if (!s) continue;
    out += '/' + s.replace(/^\/+/, '').replace(/\/+$/, '');
  }
  return out;
}

/** The last segment of a path. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The parent of a path (URI kept). */
export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= trimmed.indexOf('://') + 2 ? trimmed : trimmed.slice(0, i);
}

/** Flink prints local paths as `file:/abs/path`; this renders a URI the way users see it in CLI output. */
export function displayPath(uri: string): string {
  return uri.startsWith('file:///') ? 'file:' + uri.slice('file://'.length) : uri;
}

/** Local path of a file:// URI. */
export function localPathOf(uri: string): string {
  const u = normalizeUri(uri);
  return decodeURIComponent(u.slice('file://'.length));
}
