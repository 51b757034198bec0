import { intOption } from '../config-option.js';

/** Job-level settings that shape the job graph. */
export const PipelineOptions = {
  MAX_PARALLELISM: intOption('pipeline.max-parallelism', {
    min: 1,
    max: 32_768,
    description:
      'Number of key groups, the upper bound for rescaling keyed state. Unset: roundUpToPowerOfTwo(1.5 × parallelism), within 128..32768.',
  }),
} as const;
