export { TaskManagerProcess } from './task-manager-process.js';
export type { TaskManagerProcessDeps } from './task-manager-process.js';
