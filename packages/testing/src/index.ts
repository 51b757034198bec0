export { MiniCluster, writeConf, runNode } from './mini-cluster.js';
export type { MiniClusterOptions, CliResult } from './mini-cluster.js';
export { DaemonProcess } from './daemon-process.js';
export { freePort } from './free-port.js';
export { REPO_ROOT, SCRIPTS_DIR, CLI_ENTRY, JOBMANAGER_ENTRY, TASKMANAGER_ENTRY } from './repo-paths.js';
export { writeJobFile, printedLines } from './job-files.js';
