import { intOption } from '../config-option.js';

/** General job defaults. */
export const CoreOptions = {
  DEFAULT_PARALLELISM: intOption('parallelism.default', {
    defaultValue: 1,
    min: 1,
    description: 'Parallelism of operators and jobs that do not set their own.',
  }),
} as const;
