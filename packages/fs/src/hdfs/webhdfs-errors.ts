/**
 * Errors of the WebHDFS file system: what the client layer raises for an error
 * answer ({@link WebHdfsRemoteError}, which the retry classifier reads), the
 * one error users see ({@link WebHdfsFileSystemError}), and the translation
 * between them: one sentence naming the URI and the cause.
 */
import { TsflinkError } from '@tsflink/core';
import { classifyFailure, RemoteCallTimeoutError } from '../retry.js';

/**
 * Thrown by the WebHDFS client layer when the server answered with an error:
 * the HTTP status and, when the body was a RemoteException, its exception name
 * (which the `webhdfs` package drops; the client layer recovers it).
 */
export class WebHdfsRemoteError extends TsflinkError {
  constructor(readonly statusCode: number, readonly exception: string | undefined, message: string) {
    super(message);
  }
}

/** Why a WebHDFS call failed. */
export type WebHdfsFailureReason =
  /** The path does not exist (FileNotFoundException). */
  | 'not-found'
  /** The target of a create or rename exists (FileAlreadyExistsException). */
  | 'already-exists'
  /** A non-recursive delete of a non-empty directory. */
  | 'not-empty'
  /** The user may not do this (AccessControlException, 401, 403 security errors). */
  | 'access-denied'
  /** No connection to the namenode or a datanode. */
  | 'unreachable'
  /** No answer within the time limit. */
  | 'timeout'
  /** A range read beyond the end of the file. */
  | 'out-of-range'
  /** The namenode reported success (or false) for a rename or delete whose effect a stat did not confirm. */
  | 'not-verified'
  /** The endpoint is not a WebHDFS namenode (plain 404 page), or the path is invalid. */
  | 'bad-endpoint'
  /** Anything else; the message carries the server's exception and text. */
  | 'failed';

/** Thrown by the WebHDFS file system for every failed call; the message is meant for users. */
export class WebHdfsFileSystemError extends TsflinkError {
  constructor(readonly reason: WebHdfsFailureReason, readonly uri: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** What was being done, for the message. */
export interface WebHdfsCallContext {
  /** A verb: 'read', 'write', 'list', 'delete', 'rename', ... */
  readonly operation: string;
  readonly uri: string;
  /** The namenode's WebHDFS endpoint, host:port. */
  readonly endpoint: string;
  /** The HDFS user the call ran as. */
  readonly user: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Turns whatever a WebHDFS call threw into a {@link WebHdfsFileSystemError}; passes one through unchanged. */
export function translateWebHdfsError(error: unknown, context: WebHdfsCallContext): WebHdfsFileSystemError {
  if (error instanceof WebHdfsFileSystemError) return error;
  const { operation, uri, endpoint, user } = context;
  const cause = { cause: error };
  const detail = messageOf(error);
  if (error instanceof WebHdfsRemoteError) {
    switch (error.exception) {
      case 'FileNotFoundException':
        return new WebHdfsFileSystemError('not-found', uri, `Could not ${operation} ${uri}: it does not exist (${detail}).`, cause);
      case 'FileAlreadyExistsException':
        return new WebHdfsFileSystemError('already-exists', uri, `Could not ${operation} ${uri}: it already exists (${detail}).`, cause);
      case 'PathIsNotEmptyDirectoryException':
        return new WebHdfsFileSystemError('not-empty', uri, `Could not ${operation} ${uri}: the directory is not empty (delete it recursively).`, cause);
      case 'EOFException':
        return new WebHdfsFileSystemError('out-of-range', uri, `Could not ${operation} ${uri}: the offset lies beyond the end of the file (${detail}).`, cause);
      case 'AccessControlException':
      case 'SecurityException':
        return new WebHdfsFileSystemError('access-denied', uri,
          `Permission denied to ${operation} ${uri} as HDFS user '${user}' (${error.exception}: ${detail}); check fs.hdfs.user and the path's permissions.`, cause);
      case 'InvalidPathException':
      case 'IllegalArgumentException':
        return new WebHdfsFileSystemError('bad-endpoint', uri, `The namenode at ${endpoint} rejected the request to ${operation} ${uri} (${error.exception}: ${detail}).`, cause);
      case undefined:
        break;
      default:
        return new WebHdfsFileSystemError('failed', uri, `Could not ${operation} ${uri}: the namenode at ${endpoint} answered ${error.exception} (HTTP ${error.statusCode}): ${detail}.`, cause);
    }
    if (error.statusCode === 404) {
      return new WebHdfsFileSystemError('bad-endpoint', uri,
        `Could not ${operation} ${uri}: http://${endpoint}/webhdfs/v1 answered 404 without a RemoteException; is ${endpoint} the namenode's HTTP address with WebHDFS enabled (fs.hdfs.webhdfs.port, fs.hdfs.webhdfs.address)?`, cause);
    }
    if (error.statusCode === 401) {
      return new WebHdfsFileSystemError('access-denied', uri, `The namenode at ${endpoint} refused to authenticate HDFS user '${user}' to ${operation} ${uri} (HTTP 401); check fs.hdfs.user.`, cause);
    }
  }
  const code = codeOf(error);
  if (error instanceof RemoteCallTimeoutError || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new WebHdfsFileSystemError('timeout', uri, `WebHDFS at ${endpoint} did not answer in time to ${operation} ${uri} (${detail}).`, cause);
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new WebHdfsFileSystemError('unreachable', uri, `Could not reach ${whichNode(error, endpoint)} to ${operation} ${uri} (${detail}).`, cause);
  }
  const status = error instanceof WebHdfsRemoteError ? ` (HTTP ${error.statusCode}${classifyFailure(error) === 'permanent' ? '' : ', retries spent'})` : '';
  return new WebHdfsFileSystemError('failed', uri, `Could not ${operation} ${uri}${status}: ${detail}.`, cause);
}

/** "the namenode at h:p" or, for a connection to another port, "the datanode at h:p". */
function whichNode(error: unknown, endpoint: string): string {
  const e = error as { address?: unknown; port?: unknown };
  if (typeof e.address === 'string' && typeof e.port === 'number') {
    const target = `${e.address}:${e.port}`;
    return endpoint.endsWith(`:${e.port}`) ? `the HDFS namenode at ${endpoint}` : `the HDFS datanode at ${target}`;
  }
  return `WebHDFS at ${endpoint}`;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\.+$/, '') || 'no details';
}
