/**
 * Plan mode: how the CLI (`flink run`, `flink info`) and the TaskManagers turn
 * a job file into a PlannedJob without running it.
 */
import type { PlannedJob } from '../graph/planned-job.js';
import { checkMaxParallelism, checkParallelism } from '../graph/parallelism.js';
import { planContextStorage, ProgramPlanCaptured } from './plan-context.js';
import type { PlanContext, PlanModeOptions } from './plan-context.js';

/** Plan-mode runs in progress (a TaskManager may plan two jobs at once): the storage is disabled when none is. */
let activePlanRuns = 0;

/**
 * Runs the job's `main(args)` so that `getExecutionEnvironment()` returns a
 * plan-mode environment with the given defaults, and resolves with the plan
 * of its first `execute(name)` call. What `main` does after `execute()` is
 * ignored (in a real run it would only happen after the job ended).
 *
 * @throws (rejects) with main's own error when it fails before `execute()`,
 * with the planning error (duplicate uid, ...) from `execute()`, or with
 * "The job's main did not call execute()" when it returns without calling it.
 */
export async function runInPlanMode(
  main: (args: string[]) => unknown, args: string[], options: PlanModeOptions,
): Promise<PlannedJob> {
  if (typeof main !== 'function') throw new TypeError('runInPlanMode() needs the job\'s main function (the default export of the job file).');
  checkParallelism(options.defaultParallelism);
  if (options.defaultMaxParallelism !== undefined) checkMaxParallelism(options.defaultMaxParallelism);

  const context: PlanContext = { options };
  let failure: { error: unknown } | undefined;
  activePlanRuns++;
  try {
    await planContextStorage.run(context, () => main(args));
  } catch (error) {
    if (!(error instanceof ProgramPlanCaptured)) failure = { error };
  } finally {
    // An enabled AsyncLocalStorage keeps Node's promise hooks on, a cost to every
    // promise of the process (a TaskManager's record path included) long after planning.
    if (--activePlanRuns === 0) planContextStorage.disable();
  }
  if (context.captured !== undefined) return context.captured;
  if (failure !== undefined) throw failure.error;
  throw new Error("The job's main did not call execute(): a job file's default export must build the job and end with `await env.execute('<job name>')`.");
}
