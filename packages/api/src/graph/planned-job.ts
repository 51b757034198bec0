import type { JobGraph } from './job-graph.js';
import type { OperatorSpec } from './operator-spec.js';

/** The result of planning a job: the serializable JobGraph plus the live operator specs by operator id. */
export interface PlannedJob {
  readonly jobGraph: JobGraph;
  readonly operators: Map<string, OperatorSpec>;
}
