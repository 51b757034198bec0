/** The S3 settings of a process, resolved once from its configuration. */
import { ConfigurationError, S3Options, type Configuration } from '@tsflink/core';

/** When the AWS SDK computes or validates checksums (see `s3.request-checksum-calculation`). */
export type S3ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';

/** Region used with a custom endpoint when `s3.region` is not set (S3-compatible stores ignore it, the signer needs one). */
export const DEFAULT_ENDPOINT_REGION = 'us-east-1';

/** Resolved `s3.*` options. */
export interface S3Config {
  /** Endpoint of an S3-compatible store; undefined: AWS, as the SDK resolves it. */
  readonly endpoint: string | undefined;
  /** `http://endpoint/bucket/key` instead of `http://bucket.endpoint/key`. */
  readonly pathStyleAccess: boolean;
  /** Static credentials; undefined: the AWS default credential chain (environment, profile, instance role...). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Region; undefined: the SDK's default region resolution (AWS_REGION, profile). */
  readonly region: string | undefined;
  readonly requestChecksumCalculation: S3ChecksumMode;
  readonly responseChecksumValidation: S3ChecksumMode;
}

/** Reads the `s3.*` options; fails when only one of the access key and the secret key is set. */
export function resolveS3Config(config: Configuration): S3Config {
  const endpoint = config.getOptional(S3Options.ENDPOINT);
  const accessKeyId = config.getOptional(S3Options.ACCESS_KEY);
  const secretAccessKey = config.getOptional(S3Options.SECRET_KEY);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const [set, unset] = accessKeyId === undefined ? [S3Options.SECRET_KEY.key, S3Options.ACCESS_KEY.key] : [S3Options.ACCESS_KEY.key, S3Options.SECRET_KEY.key];
    throw new ConfigurationError(`'${set}' is set but '${unset}' is not; set both, or neither to use the AWS default credential chain`);
  }
  return {
    endpoint,
    pathStyleAccess: config.get(S3Options.PATH_STYLE_ACCESS),
    credentials: accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : undefined,
    region: config.getOptional(S3Options.REGION) ?? (endpoint !== undefined ? DEFAULT_ENDPOINT_REGION : undefined),
    requestChecksumCalculation: config.get(S3Options.REQUEST_CHECKSUM_CALCULATION),
    responseChecksumValidation: config.get(S3Options.RESPONSE_CHECKSUM_VALIDATION),
  };
}

/** How messages name the store: the configured endpoint, or AWS S3. */
export function describeS3Endpoint(config: Pick<S3Config, 'endpoint' | 'region'>): string {
  if (config.endpoint !== undefined) return config.endpoint;
  return config.region !== undefined ? `AWS S3 (${config.region})` : 'AWS S3';
}
