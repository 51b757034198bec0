import { booleanOption, enumOption, stringOption, uriOption } from '../config-option.js';

/** Checksum behaviour of the AWS SDK; S3-compatible stores often need WHEN_REQUIRED. */
const CHECKSUM_MODES = ['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const;

function validateHttpEndpoint(value: string): string | undefined {
  return /^https?:\/\//.test(value) ? undefined : 'expected an http:// or https:// URL';
}

/** The s3:// file system. Unset values fall back to the AWS SDK defaults (default credential chain, region). */
export const S3Options = {
  ENDPOINT: uriOption('s3.endpoint', {
    validate: validateHttpEndpoint,
    description: 'Endpoint of an S3-compatible store, e.g. http://localhost:9000; unset: AWS.',
  }),
  PATH_STYLE_ACCESS: booleanOption('s3.path.style.access', {
    defaultValue: false,
    description: 'Address buckets as http://endpoint/bucket instead of http://bucket.endpoint (needed by most S3-compatible stores).',
  }),
  ACCESS_KEY: stringOption('s3.access-key', {
    description: 'Access key id; unset: the AWS default credential chain.',
  }),
  SECRET_KEY: stringOption('s3.secret-key', {
    description: 'Secret access key; unset: the AWS default credential chain.',
  }),
  REGION: stringOption('s3.region', {
    description: 'Region of the bucket; unset: the AWS SDK default.',
  }),
  REQUEST_CHECKSUM_CALCULATION: enumOption('s3.request-checksum-calculation', CHECKSUM_MODES, {
    defaultValue: 'WHEN_REQUIRED',
    description: 'When the client adds checksums to uploads.',
  }),
  RESPONSE_CHECKSUM_VALIDATION: enumOption('s3.response-checksum-validation', CHECKSUM_MODES, {
    defaultValue: 'WHEN_REQUIRED',
    description: 'When the client validates checksums of downloads.',
  }),
} as const;
