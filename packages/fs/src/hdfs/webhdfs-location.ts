/**
 * Where an `hdfs://` or `webhdfs://` path lives: the namenode's WebHDFS
 * endpoint and the HDFS path, as Hadoop resolves them.
 *
 * - `hdfs://host[:rpcPort]/path`: the RPC port is not used; WebHDFS is at
 *   `host:<fs.hdfs.webhdfs.port>` (default 9870), and `fs.hdfs.webhdfs.address`
 *   (host:port) overrides both; `hdfs:///path` needs that address.
 * - `webhdfs://host[:httpPort]/path`: the endpoint itself (default port: fs.hdfs.webhdfs.port).
 */
import { currentUser, HdfsOptions, TsflinkError, type Configuration } from '@tsflink/core';

/** The schemes served by the WebHDFS file system. */
export const WEBHDFS_SCHEMES = ['hdfs', 'webhdfs'] as const;

/** Resolved `fs.hdfs.*` options. */
export interface WebHdfsConfig {
  /** `fs.hdfs.webhdfs.port`. */
  readonly webHdfsPort: number;
  /** `fs.hdfs.webhdfs.address`, split. */
  readonly address: { readonly host: string; readonly port: number } | undefined;
  /** `fs.hdfs.user`, else the user running the process. */
  readonly user: string;
}

export function resolveWebHdfsConfig(config: Configuration): WebHdfsConfig {
  const address = config.getOptional(HdfsOptions.WEBHDFS_ADDRESS);
  return {
    webHdfsPort: config.get(HdfsOptions.WEBHDFS_PORT),
    address: address === undefined ? undefined : splitHostPort(address),
    user: config.getOptional(HdfsOptions.USER) ?? currentUser(),
  };
}

/** A path resolved to its namenode. */
export interface WebHdfsLocation {
  /** `scheme://authority` as written in the URI, to build child URIs. */
  readonly base: string;
  readonly host: string;
  readonly port: number;
  /** Absolute HDFS path without a trailing slash ('/' for the root). */
  readonly path: string;
}

/** Thrown for a path the WebHDFS file system cannot place on a namenode. */
export class InvalidWebHdfsPathError extends TsflinkError {
  constructor(readonly uri: string, reason: string) {
    super(`Cannot use '${uri}': ${reason}.`);
  }
}

/** Resolves an `hdfs://` or `webhdfs://` URI. */
export function resolveWebHdfsLocation(uri: string, config: WebHdfsConfig): WebHdfsLocation {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)$/.exec(uri);
  const scheme = match?.[1]?.toLowerCase();
  if (!match || !(WEBHDFS_SCHEMES as readonly string[]).includes(scheme ?? '')) {
    throw new InvalidWebHdfsPathError(uri, 'expected hdfs://host[:port]/path or webhdfs://host:port/path');
  }
  const authority = match[2]!;
  const path = normalizePath(match[3]!);
  const base = `${scheme}://${authority}`;
  if (scheme === 'hdfs' && config.address !== undefined) return { base, ...config.address, path };
  if (authority === '') {
    throw new InvalidWebHdfsPathError(uri, `no namenode host in the URI; write ${scheme}://<namenode>/... or set fs.hdfs.webhdfs.address`);
  }
  const { host, port } = splitHostPort(authority, config.webHdfsPort);
  return { base, host, port: scheme === 'hdfs' ? config.webHdfsPort : port, path };
}

function normalizePath(raw: string): string {
  const segments = decodeURIComponent(raw).split('/').filter((s) => s !== '');
  return '/' + segments.join('/');
}

function splitHostPort(text: string, defaultPort?: number): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  if (!match) throw new InvalidWebHdfsPathError(text, 'expected host[:port]');
  const port = match[2] !== undefined ? Number(match[2]) : defaultPort;
  if (port === undefined) throw new InvalidWebHdfsPathError(text, 'expected host:port');
  return { host: match[1]!, port };
}
