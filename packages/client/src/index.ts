export { ClusterClient, TERMINAL_JOB_STATES } from './cluster-client.js';
export type { ClusterClientOptions, JobStatus, JobStateName } from './cluster-client.js';
export { JobManagerUnreachableError, JobManagerRequestError } from './client-errors.js';
export { bundleJobFile, planJob, jobFileName, JobFileError } from './job-planner.js';
export type { PlanOptions } from './job-planner.js';
export { toProtoJobGraph } from './job-graph-proto.js';
export { submitJobFile } from './job-submission.js';
export type { SubmitJobFileOptions } from './job-submission.js';
