import { intOption, stringOption } from '../config-option.js';
import { PORT_RANGE } from './port.js';

/** TaskManager slots and addresses. */
export const TaskManagerOptions = {
  NUM_TASK_SLOTS: intOption('taskmanager.numberOfTaskSlots', {
    defaultValue: 1,
    min: 1,
    description: 'Number of task slots a TaskManager offers; each slot runs one parallel pipeline of a job.',
  }),
  HOST: stringOption('taskmanager.host', {
    description:
      'Address under which the JobManager and other TaskManagers reach this TaskManager; unset: derived from the connection to the JobManager.',
  }),
  BIND_HOST: stringOption('taskmanager.bind-host', {
    description: 'Local address the TaskManager servers bind to; unset: all interfaces.',
  }),
  RPC_PORT: intOption('taskmanager.rpc.port', {
    defaultValue: 0,
    ...PORT_RANGE,
    description: 'Port of the TaskManager gRPC endpoint; 0 picks a free port, so several TaskManagers can share a host.',
  }),
  DATA_PORT: intOption('taskmanager.data.port', {
    defaultValue: 0,
    ...PORT_RANGE,
    description: 'Port on which the TaskManager serves records to other TaskManagers; 0 picks a free port.',
  }),
} as const;
