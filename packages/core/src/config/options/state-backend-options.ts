import { enumOption } from '../config-option.js';

const LEGACY_BACKEND_WARNING =
  "is a legacy state backend name; using 'hashmap' (state in memory, checkpoints written to execution.checkpointing.dir).";

/** Where working state lives while a job runs. */
export const StateBackendOptions = {
  STATE_BACKEND: enumOption('state.backend.type', ['hashmap'], {
    defaultValue: 'hashmap',
    deprecatedKeys: ['state.backend'],
    legacyValues: {
      jobmanager: { replacement: 'hashmap', warning: `'jobmanager' ${LEGACY_BACKEND_WARNING}` },
      filesystem: { replacement: 'hashmap', warning: `'filesystem' ${LEGACY_BACKEND_WARNING}` },
    },
    description:
      "State backend holding keyed and operator state. Only 'hashmap' (state in memory, snapshots to the checkpoint storage); the legacy names 'jobmanager' and 'filesystem' map to it.",
  }),
} as const;
