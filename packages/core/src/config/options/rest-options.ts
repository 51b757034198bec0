import { intOption, stringOption } from '../config-option.js';
import { PORT_RANGE } from './port.js';

/** The JobManager's REST endpoint. */
export const RestOptions = {
  PORT: intOption('rest.port', {
    defaultValue: 8081,
    ...PORT_RANGE,
    description: 'Port of the JobManager REST endpoint.',
  }),
  ADDRESS: stringOption('rest.address', {
    description: 'Address clients use to reach the REST endpoint; unset: jobmanager.rpc.address.',
  }),
  BIND_ADDRESS: stringOption('rest.bind-address', {
    description: 'Local address the REST server binds to; unset: that of jobmanager.bind-host, else jobmanager.rpc.address. Use 0.0.0.0 for all interfaces.',
  }),
} as const;
