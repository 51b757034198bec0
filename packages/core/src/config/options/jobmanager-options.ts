import { intOption, stringOption } from '../config-option.js';
import { PORT_RANGE } from './port.js';

/** Where the JobManager listens and how clients and TaskManagers reach it. */
export const JobManagerOptions = {
  RPC_ADDRESS: stringOption('jobmanager.rpc.address', {
    defaultValue: 'localhost',
    description: 'Host name or address that clients and TaskManagers use to reach the JobManager.',
  }),
  RPC_PORT: intOption('jobmanager.rpc.port', {
    defaultValue: 6123,
    ...PORT_RANGE,
    description: 'Port of the JobManager gRPC endpoint (clients and TaskManagers).',
  }),
  BIND_HOST: stringOption('jobmanager.bind-host', {
    description:
      'Local address the JobManager gRPC server binds to; unset: the address of jobmanager.rpc.address. Use 0.0.0.0 for all interfaces.',
  }),
} as const;
