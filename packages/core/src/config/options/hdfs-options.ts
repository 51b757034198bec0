import { intOption, stringOption } from '../config-option.js';
import { validateHostAndPort } from './port.js';

/** The hdfs:// and webhdfs:// file systems (spoken over WebHDFS). */
export const HdfsOptions = {
  WEBHDFS_PORT: intOption('fs.hdfs.webhdfs.port', {
    defaultValue: 9870,
    min: 1,
    max: 65_535,
    description: 'HTTP port of the namenode WebHDFS endpoint used for hdfs://host/... paths.',
  }),
  WEBHDFS_ADDRESS: stringOption('fs.hdfs.webhdfs.address', {
    validate: validateHostAndPort,
    description: 'host:port of the namenode WebHDFS endpoint; overrides the host of hdfs:// paths and fs.hdfs.webhdfs.port.',
  }),
  USER: stringOption('fs.hdfs.user', {
    description: 'HDFS user name; unset: the user running the process.',
  }),
} as const;
