export { JobManagerProcess } from './job-manager-process.js';
export type { JobManagerProcessDeps } from './job-manager-process.js';
