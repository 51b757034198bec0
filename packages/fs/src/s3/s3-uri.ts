/** `s3://bucket/key` paths. Also `s3a://` and `s3p://`, which Flink accepts for the same store. */
import { TsflinkError } from '@tsflink/core';

/** The schemes served by the S3 file system. */
export const S3_SCHEMES = ['s3', 's3a', 's3p'] as const;

/** A parsed S3 path. `key` has no leading or trailing slash; it is '' for the bucket root. */
export interface S3Location {
  readonly scheme: string;
  readonly bucket: string;
  readonly key: string;
}

/** Thrown for a path that is not `s3://<bucket>/<key>`. */
export class InvalidS3PathError extends TsflinkError {
  constructor(readonly path: string) {
    super(`'${path}' is not an S3 path; expected s3://<bucket>/<key>.`);
  }
}

/** Splits an S3 URI into bucket and key. The key is taken literally (no percent-decoding). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]+)(\/.*)?$/.exec(uri);
  if (!match || !(S3_SCHEMES as readonly string[]).includes(match[1]!.toLowerCase())) throw new InvalidS3PathError(uri);
  const key = (match[3] ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return { scheme: match[1]!.toLowerCase(), bucket: match[2]!, key };
}

/** The URI of a key in the bucket of `base` (same scheme). */
export function s3Uri(base: Pick<S3Location, 'scheme' | 'bucket'>, key: string): string {
  return key === '' ? `${base.scheme}://${base.bucket}` : `${base.scheme}://${base.bucket}/${key}`;
}

/** The listing prefix of the "directory" `key`: 'a/b' → 'a/b/', the bucket root → ''. */
export function directoryPrefix(key: string): string {
  return key === '' ? '' : `${key}/`;
}
