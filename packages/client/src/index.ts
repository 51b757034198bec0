export { ClusterClient, TERMINAL_JOB_STATES } from './cluster-client.js';
export type { ClusterClientOptions, JobStatus, JobStateName } from './cluster-client.js';
export { JobManagerUnreachableError, JobManagerRequestError } from './client-errors.js';
