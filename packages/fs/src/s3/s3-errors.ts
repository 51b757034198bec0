/**
 * The one error type of the S3 file system, and the translation of S3 and
 * network failures into it: one sentence naming the URI and the cause.
 */
import { TsflinkError } from '@tsflink/core';
import { classifyFailure, httpStatusOf, RemoteCallTimeoutError } from '../retry.js';

/** Why an S3 call failed. */
export type S3FailureReason =
  /** The object does not exist. */
  | 'not-found'
  /** The bucket does not exist. */
  | 'bucket-not-found'
  /** The endpoint does not know the access key, or the signature (secret key) is wrong. */
  | 'invalid-credentials'
  /** The credentials are valid but not allowed to do this. */
  | 'access-denied'
  /** No connection to the endpoint (refused, reset, name not resolved). */
  | 'unreachable'
  /** The endpoint did not answer within the time limit. */
  | 'timeout'
  /** The store kept asking us to slow down until the retry budget was spent. */
  | 'throttled'
  /** A range read beyond the end of the object. */
  | 'out-of-range'
  /** The target of a create or rename exists. */
  | 'already-exists'
  /** A non-recursive delete of a "directory" that has objects under it. */
  | 'not-empty'
  /** Anything else; the message carries the store's code and text. */
  | 'failed';

/** Thrown by the S3 file system for every failed call. `reason` says which condition; the message is meant for users. */
export class S3FileSystemError extends TsflinkError {
  constructor(readonly reason: S3FailureReason, readonly uri: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** What was being done when a call failed, for the message. */
export interface S3CallContext {
  /** A verb phrase: 'read', 'write', 'list', 'delete', 'copy to s3://b/k', ... */
  readonly operation: string;
  readonly uri: string;
  readonly bucket: string;
  /** The endpoint as users configured it (see describeS3Endpoint). */
  readonly endpoint: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'ECONNABORTED']);

/** Turns whatever an S3 call threw into an {@link S3FileSystemError}; passes one through unchanged. */
export function translateS3Error(error: unknown, context: S3CallContext): S3FileSystemError {
  if (error instanceof S3FileSystemError) return error;
  const { operation, uri, bucket, endpoint } = context;
  const code = errorCode(error);
  const status = httpStatusOf(error);
  const detail = errorMessage(error);
  const cause = { cause: error };
  switch (code) {
    case 'NoSuchBucket':
      return new S3FileSystemError('bucket-not-found', uri, `The bucket '${bucket}' does not exist (${uri}).`, cause);
    case 'NoSuchKey':
      return new S3FileSystemError('not-found', uri, `File ${uri} does not exist.`, cause);
    case 'InvalidAccessKeyId':
      return new S3FileSystemError('invalid-credentials', uri,
        `The S3 endpoint ${endpoint} does not know the access key (InvalidAccessKeyId) used to ${operation} ${uri}; check s3.access-key and s3.secret-key.`, cause);
    case 'SignatureDoesNotMatch':
      return new S3FileSystemError('invalid-credentials', uri,
        `The S3 endpoint ${endpoint} rejected the request signature (SignatureDoesNotMatch) to ${operation} ${uri}: the secret key does not match the access key; check s3.secret-key.`, cause);
    case 'InvalidRange':
      return new S3FileSystemError('out-of-range', uri, `Could not ${operation} ${uri}: the requested range lies beyond the end of the file.`, cause);
  }
  if (status === 404 && code === 'NotFound') {
    return new S3FileSystemError('not-found', uri, `File ${uri} does not exist.`, cause);
  }
  if (status === 403) {
    return new S3FileSystemError('access-denied', uri,
      `Access was denied (${code ?? 'HTTP 403'}) to ${operation} ${uri} on ${endpoint}; check the credentials (s3.access-key and s3.secret-key, or the AWS default chain) and the bucket's permissions.`, cause);
  }
  // Before the timeout check: the SDK names a reset connection "TimeoutError" too.
  if (!(error instanceof RemoteCallTimeoutError) && networkCodeOf(error) !== undefined) {
    return new S3FileSystemError('unreachable', uri, `Could not reach the S3 endpoint ${endpoint} to ${operation} ${uri} (${detail}).`, cause);
  }
  if (error instanceof RemoteCallTimeoutError || code === 'TimeoutError') {
    return new S3FileSystemError('timeout', uri, `The S3 endpoint ${endpoint} did not answer in time to ${operation} ${uri} (${detail}).`, cause);
  }
  if (classifyFailure(error) === 'throttled') {
    const attempts = attemptsOf(error);
    return new S3FileSystemError('throttled', uri,
      `The S3 endpoint ${endpoint} kept throttling requests (${code ?? `HTTP ${status}`}) to ${operation} ${uri}${attempts ? `, ${attempts} attempts` : ''}; try again later.`, cause);
  }
  const what = [code, status !== undefined ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  return new S3FileSystemError('failed', uri, `Could not ${operation} ${uri}${what ? ` (${what})` : ''}: ${detail}.`, cause);
}

/** The S3 error code (`Code`, else the SDK's `name` when it is not a generic one). */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { Code?: unknown; name?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && !['Error', 'Unknown', 'UnknownError', 'S3ServiceException'].includes(e.name)) return e.name;
  return undefined;
}

function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const c = (current as { code?: unknown }).code;
    if (typeof c === 'string' && NETWORK_CODES.has(c)) return c;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function attemptsOf(error: unknown): number | undefined {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\.+$/, '') || 'no details';
}
