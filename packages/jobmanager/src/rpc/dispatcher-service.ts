import { parseJobId } from '@tsflink/core';
import type {
  CheckpointInspection, ClusterOverview, DispatcherHandlers, JobDetails, PlanRestoreRequest__Output, RestorePlan,
  SubmitJobRequest__Output, TriggerSavepointRequest__Output,
} from '@tsflink/proto';
import { toServiceError } from './service-errors.js';

/** What the Dispatcher service needs from the JobManager (implemented by the dispatcher). */
export interface DispatcherGateway {
  submitJob(request: SubmitJobRequest__Output): Promise<{ jobId: string; warnings: string[] }>;
  listJobs(): JobDetails[];
  /** Throws JobNotFoundError for an unknown job. */
  getJob(jobId: string): JobDetails;
  /** Calls `listener` with the current details now and on every change; returns an unsubscribe function. */
  watchJob(jobId: string, listener: (details: JobDetails) => void): () => void;
  cancelJob(jobId: string): Promise<void>;
  triggerSavepoint(request: TriggerSavepointRequest__Output): Promise<string>;
  disposeSavepoint(path: string): Promise<void>;
  clusterOverview(): ClusterOverview;
  inspectCheckpoint(path: string): Promise<CheckpointInspection>;
  planRestore(request: PlanRestoreRequest__Output): Promise<RestorePlan>;
}

const TERMINAL = new Set(['FINISHED', 'CANCELED', 'FAILED']);

/** The Dispatcher gRPC service: validates ids and maps gateway calls and errors onto the wire. */
export function createDispatcherService(gateway: DispatcherGateway): DispatcherHandlers {
  const unary = <Req, Res>(fn: (req: Req) => Res | Promise<Res>) =>
    (call: { request: Req }, callback: (err: unknown, res?: Res) => void) => {
      Promise.resolve().then(() => fn(call.request))
        .then((res) => callback(null, res), (e) => callback(toServiceError(e)));
    };

  return {
    SubmitJob: unary(async (req: SubmitJobRequest__Output) => {
      const { jobId, warnings } = await gateway.submitJob(req);
      return { job_id: jobId, warnings };
    }),
    ListJobs: unary(() => ({ jobs: gateway.listJobs() })),
    GetJob: unary((req: { job_id: string }) => gateway.getJob(parseJobId(req.job_id))),
    CancelJob: unary(async (req: { job_id: string }) => { await gateway.cancelJob(parseJobId(req.job_id)); return {}; }),
    TriggerSavepoint: unary(async (req: TriggerSavepointRequest__Output) => {
      parseJobId(req.job_id);
      return { savepoint_path: await gateway.triggerSavepoint(req) };
    }),
    DisposeSavepoint: unary(async (req: { savepoint_path: string }) => { await gateway.disposeSavepoint(req.savepoint_path); return {}; }),
    GetClusterOverview: unary(() => gateway.clusterOverview()),
    InspectCheckpoint: unary((req: { path: string }) => gateway.inspectCheckpoint(req.path)),
    PlanRestore: unary((req: PlanRestoreRequest__Output) => gateway.planRestore(req)),
    WatchJob(call) {
      let unsubscribe: (() => void) | undefined;
      let ended = false;
      try {
        unsubscribe = gateway.watchJob(parseJobId(call.request.job_id), (details) => {
          if (ended) return;
          call.write(details);
          if (TERMINAL.has(String(details.state))) { ended = true; unsubscribe?.(); call.end(); }
        });
      } catch (e) {
        call.emit('error', toServiceError(e));
        return;
      }
      if (ended) unsubscribe();
      call.on('cancelled', () => unsubscribe?.());
      call.on('close', () => unsubscribe?.());
    },
  } as DispatcherHandlers;
}
