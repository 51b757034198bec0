import { stringOption } from '../config-option.js';

/** Where daemons put log and pid files. The environment variables FLINK_LOG_DIR and FLINK_PID_DIR win over these keys. */
export const LogOptions = {
  LOG_DIR: stringOption('env.log.dir', {
    description: "Directory of daemon log files (FLINK_LOG_DIR wins); unset: the distribution's log/ directory.",
  }),
  PID_DIR: stringOption('env.pid.dir', {
    defaultValue: '/tmp',
    description: 'Directory of daemon pid files (FLINK_PID_DIR wins).',
  }),
} as const;
