import { durationOption, enumOption, intOption, uriOption } from '../config-option.js';

/** Checkpoints, savepoints and their retention. */
export const CheckpointingOptions = {
  CHECKPOINTS_DIRECTORY: uriOption('execution.checkpointing.dir', {
    deprecatedKeys: ['state.checkpoints.dir', 'state.backend.fs.checkpointdir'],
    description:
      'Directory (file://, s3://, hdfs://) for checkpoint data and metadata; must be reachable from the JobManager and all TaskManagers. Unset: checkpoints are kept in JobManager memory.',
  }),
  SAVEPOINT_DIRECTORY: uriOption('execution.checkpointing.savepoint-dir', {
    deprecatedKeys: ['state.savepoints.dir', 'savepoints.state.backend.fs.dir', 'savepoints.state.backend.fs.checkpointdir'],
    description: 'Default target directory of savepoints when the CLI names none.',
  }),
  SAVEPOINT_BACKEND: enumOption('savepoints.state.backend', ['filesystem'], {
    legacyValues: {
      jobmanager: {
        replacement: 'filesystem',
        warning:
          'savepoints are always written to files (state.savepoints.dir); in-memory savepoints are no longer possible.',
      },
    },
    description:
      "Pre-1.2 savepoint backend, accepted so old files still load. Savepoints are always files in execution.checkpointing.savepoint-dir; 'jobmanager' is no longer possible.",
  }),
  MAX_RETAINED: intOption('execution.checkpointing.num-retained', {
    defaultValue: 1,
    min: 1,
    deprecatedKeys: ['state.checkpoints.num-retained'],
    description: 'Number of completed checkpoints kept; older ones are deleted when subsumed.',
  }),
  INTERVAL: durationOption('execution.checkpointing.interval', {
    min: 10,
    description: 'Interval between periodic checkpoints. Unset: checkpointing is off unless the job enables it.',
  }),
  MODE: enumOption('execution.checkpointing.mode', ['EXACTLY_ONCE', 'AT_LEAST_ONCE'], {
    defaultValue: 'EXACTLY_ONCE',
    description: 'EXACTLY_ONCE aligns barriers across input channels; AT_LEAST_ONCE does not hold input while aligning.',
  }),
  TIMEOUT: durationOption('execution.checkpointing.timeout', {
    defaultValue: 10 * 60_000,
    min: 1,
    description: 'A checkpoint that has not completed within this time is aborted.',
  }),
  MIN_PAUSE: durationOption('execution.checkpointing.min-pause', {
    defaultValue: 0,
    min: 0,
    description: 'Minimal time between the end of one checkpoint and the start of the next.',
  }),
  MAX_CONCURRENT: intOption('execution.checkpointing.max-concurrent-checkpoints', {
    defaultValue: 1,
    min: 1,
    description: 'Maximal number of checkpoints in progress at the same time.',
  }),
  TOLERABLE_FAILURES: intOption('execution.checkpointing.tolerable-failed-checkpoints', {
    defaultValue: 0,
    min: 0,
    description: 'Number of consecutive checkpoint failures tolerated before the job fails.',
  }),
  EXTERNALIZED_RETENTION: enumOption(
    'execution.checkpointing.externalized-checkpoint-retention',
    ['NO_EXTERNALIZED_CHECKPOINTS', 'DELETE_ON_CANCELLATION', 'RETAIN_ON_CANCELLATION'],
    {
      defaultValue: 'NO_EXTERNALIZED_CHECKPOINTS',
      description: 'What happens to retained checkpoints when the job ends (FINISHED, CANCELED, FAILED).',
    },
  ),
} as const;
