import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The checkout's root (packages/testing/{src,dist}/ → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const JOBMANAGER_ENTRY = join(REPO_ROOT, 'packages/jobmanager/dist/main.js');
export const TASKMANAGER_ENTRY = join(REPO_ROOT, 'packages/taskmanager/dist/main.js');
export const CLI_ENTRY = join(REPO_ROOT, 'packages/cli/dist/main.js');
export const SCRIPTS_DIR = join(REPO_ROOT, 'scripts');
