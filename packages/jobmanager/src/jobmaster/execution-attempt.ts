import type { TaskState } from '@tsflink/proto';

/** One deployment of one subtask of one vertex, within one execution (restart) of the job. */
export interface ExecutionAttempt {
  attemptId: string;
  vertexIndex: number;
  subtaskIndex: number;
  taskManagerId: string;
  state: TaskState;
  /** The job execution (0, 1, 2, ... one per restart) this attempt belongs to. */
  executionId: number;
}

export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_FINISHED', 'TASK_CANCELED', 'TASK_FAILED']);
