/**
 * The context-environment mechanism (Flink's `StreamExecutionEnvironment
 * .initializeContextEnvironment` + `OptimizerPlanEnvironment`). `runInPlanMode`
 * runs a job's `main` inside an AsyncLocalStorage scope holding a PlanContext;
 * `getExecutionEnvironment()` looks the scope up, and `execute()` records the
 * plan there and aborts `main` with `ProgramPlanCaptured`. Each run has its own
 * scope, so concurrent runs (a TaskManager deploying two jobs) never mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PlannedJob } from '../graph/planned-job.js';
import type { StreamExecutionEnvironment } from './stream-execution-environment.js';

export interface PlanModeOptions {
  /** Parallelism of operators that set none (`-p` of `flink run`, else `parallelism.default`). */
  readonly defaultParallelism: number;
  /** Max parallelism when the job sets none (`pipeline.max-parallelism`); derived per vertex otherwise. */
  readonly defaultMaxParallelism?: number;
}

export interface PlanContext {
  readonly options: PlanModeOptions;
  /** The one environment of this run, created by the first `getExecutionEnvironment()`. */
  environment?: StreamExecutionEnvironment;
  /** The plan of the first `execute()`. */
  captured?: PlannedJob;
}

/** The only process-wide state of the API: the scope of the running plan-mode `main`, if any. */
export const planContextStorage = new AsyncLocalStorage<PlanContext>();

/**
 * Thrown by `execute()` in plan mode to end the job's `main` once the plan is
 * built, as Flink's `ProgramAbortException`. It is a signal, not an error:
 * `runInPlanMode` catches it. User code should not catch it (if it does, the
 * plan is still returned).
 */
export class ProgramPlanCaptured extends Error {
  constructor(readonly plan: PlannedJob) {
    super('The job plan was captured in plan mode; this signal ends main() and is not an error.');
    this.name = 'ProgramPlanCaptured';
  }
}

/** Records the plan of `context` (the first one wins) and throws the signal. */
export function capturePlan(context: PlanContext, plan: PlannedJob): never {
  context.captured ??= plan;
  throw new ProgramPlanCaptured(context.captured);
}
