import { CONTROL_CHANNEL_OPTIONS, grpc, protos } from '@tsflink/proto';
import type {
  ClusterOverview__Output, DispatcherClient, JobDetails__Output, ListJobsResponse__Output, SavepointMode,
  SubmitJobRequest, SubmitJobResponse__Output, TriggerSavepointResponse__Output,
  CheckpointInspection__Output, JobGraph, RestorePlan__Output,
} from '@tsflink/proto';
import { toClientError } from './client-errors.js';

/** A job's state names, as Flink prints them. */
export type JobStateName =
  | 'CREATED' | 'RUNNING' | 'RESTARTING' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'FAILED' | 'FAILING';

export const TERMINAL_JOB_STATES: ReadonlySet<JobStateName> = new Set(['CANCELED', 'FINISHED', 'FAILED']);

/** What the JobManager reports about one job. */
export interface JobStatus {
  jobId: string;
  name: string;
  state: JobStateName;
  /** Submission time, ms since the epoch. */
  startTime: number;
  /** End time, or undefined while the job runs. */
  endTime?: number;
  durationMs: number;
  /** The root cause when FAILED (or the last failure while RESTARTING). */
  failure?: { name: string; message: string; stack: string };
  restarts: number;
  lastCheckpointId?: number;
  lastCheckpointPath?: string;
  /** Why a CREATED job has not started yet (e.g. not enough slots). */
  waitingReason?: string;
  vertices: JobDetails__Output['vertices'];
}

export interface ClusterClientOptions {
  /** host:port of the JobManager's RPC endpoint. */
  address: string;
  /** How long a call waits for a connection before the JobManager counts as unreachable (default 5 s). */
  connectTimeoutMs?: number;
  /** Deadline for ordinary calls (default 60 s). Savepoints and waits use their own. */
  callTimeoutMs?: number;
}

/**
 * Typed client of the JobManager's Dispatcher service: what the CLI, tests and
 * benchmarks use to submit and manage jobs. Every method turns wire errors into
 * `JobManagerUnreachableError` or `JobManagerRequestError` with one clear sentence.
 */
export class ClusterClient {
  private readonly stub: DispatcherClient;
  readonly address: string;
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;

  constructor(options: ClusterClientOptions) {
    this.address = options.address;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
    const Dispatcher = protos().dispatcher;
    this.stub = new Dispatcher(options.address, grpc.credentials.createInsecure(), CONTROL_CHANNEL_OPTIONS);
  }

  /**
   * Resolves once the channel is connected, or rejects with JobManagerUnreachableError:
   * at once when the connection is refused, else after `timeoutMs`.
   */
  async waitForConnection(timeoutMs = this.connectTimeoutMs): Promise<void> {
    const channel = this.stub.getChannel();
    const deadline = Date.now() + timeoutMs;
    let state = channel.getConnectivityState(true);
    while (state !== grpc.connectivityState.READY) {
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) {
        throw toClientError(this.address, { code: grpc.status.UNAVAILABLE, details: 'connection refused' });
      }
      await new Promise<void>((resolve, reject) => {
        channel.watchConnectivityState(state, deadline, (err) => {
          if (err) reject(toClientError(this.address, { code: grpc.status.UNAVAILABLE, details: 'connection timed out' }));
          else resolve();
        });
      });
      state = channel.getConnectivityState(true);
    }
  }

  async listJobs(): Promise<JobStatus[]> {
    const res = await this.unary<ListJobsResponse__Output>((cb) => this.stub.ListJobs({}, this.options(), cb));
    return res.jobs.map(toJobStatus);
  }

  async getJob(jobId: string): Promise<JobStatus> {
    return toJobStatus(await this.unary((cb) => this.stub.GetJob({ job_id: jobId }, this.options(), cb)));
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.unary((cb) => this.stub.CancelJob({ job_id: jobId }, this.options(), cb));
  }

  /** Submits an already-planned job (graph + bundle). Returns the job id and warnings. */
  async submitJob(request: SubmitJobRequest): Promise<{ jobId: string; warnings: string[] }> {
    const res = await this.unary<SubmitJobResponse__Output>((cb) => this.stub.SubmitJob(request, this.options(), cb));
    return { jobId: res.job_id, warnings: res.warnings };
  }

  /**
   * Triggers a savepoint (optionally cancelling or stopping the job) and resolves
   * with its path once it completed.
   */
  async triggerSavepoint(jobId: string, targetDirectory: string | undefined, mode: SavepointMode = 'SAVEPOINT', timeoutMs = 30 * 60_000): Promise<string> {
    const res = await this.unary<TriggerSavepointResponse__Output>((cb) => this.stub.TriggerSavepoint(
      { job_id: jobId, target_directory: targetDirectory ?? '', mode }, this.options(timeoutMs), cb));
    return res.savepoint_path;
  }

  async disposeSavepoint(path: string): Promise<void> {
    await this.unary((cb) => this.stub.DisposeSavepoint({ savepoint_path: path }, this.options(), cb));
  }

  /** What a checkpoint or savepoint holds (the JobManager reads it from the shared storage). */
  async inspectCheckpoint(path: string): Promise<CheckpointInspection__Output> {
    return this.unary<CheckpointInspection__Output>((cb) => this.stub.InspectCheckpoint({ path }, this.options(), cb));
  }

  /** How a checkpoint/savepoint would map onto `graph`, without running anything. */
  async planRestore(graph: JobGraph, savepointPath: string, allowNonRestoredState: boolean): Promise<RestorePlan__Output> {
    return this.unary<RestorePlan__Output>((cb) => this.stub.PlanRestore({ job_graph: graph, savepoint_path: savepointPath, allow_non_restored_state: allowNonRestoredState }, this.options(), cb));
  }

  async clusterOverview(): Promise<ClusterOverview__Output> {
    return this.unary((cb) => this.stub.GetClusterOverview({}, this.options(), cb));
  }

  /**
   * Follows a job until it reaches a terminal state (FINISHED, CANCELED, FAILED),
   * calling `onUpdate` for every status change. Resolves with the final status.
   */
  async waitForJobResult(jobId: string, onUpdate?: (status: JobStatus) => void): Promise<JobStatus> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.watchOnce(jobId, onUpdate);
      } catch (e) {
        const err = e as grpc.ServiceError;
        // A dropped stream is retried; anything else (unknown job, bad id) is final.
        if (err?.code !== grpc.status.UNAVAILABLE || attempt >= 10) throw toClientError(this.address, e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private watchOnce(jobId: string, onUpdate?: (status: JobStatus) => void): Promise<JobStatus> {
    return new Promise<JobStatus>((resolve, reject) => {
      let last: JobStatus | undefined;
      const call = this.stub.WatchJob({ job_id: jobId }, { deadline: Date.now() + 365 * 24 * 3600_000 });
      call.on('data', (d: JobDetails__Output) => {
        last = toJobStatus(d);
        onUpdate?.(last);
        if (TERMINAL_JOB_STATES.has(last.state)) { resolve(last); call.cancel(); }
      });
      call.on('error', (e: grpc.ServiceError) => {
        if (e.code === grpc.status.CANCELLED && last && TERMINAL_JOB_STATES.has(last.state)) return;
        reject(e);
      });
      call.on('end', () => {
        if (last && TERMINAL_JOB_STATES.has(last.state)) resolve(last);
        else reject(Object.assign(new Error('job watch ended early'), { code: grpc.status.UNAVAILABLE }));
      });
    });
  }

  close(): void {
    this.stub.close();
  }

  private options(timeoutMs = this.callTimeoutMs): grpc.CallOptions {
    return { deadline: Date.now() + timeoutMs };
  }

  private async unary<T>(invoke: (cb: (err: grpc.ServiceError | null, value?: T) => void) => void): Promise<T> {
    await this.waitForConnection();
    return new Promise<T>((resolve, reject) => {
      invoke((err, value) => {
        if (err) reject(toClientError(this.address, err));
        else resolve(value as T);
      });
    });
  }
}

function toJobStatus(d: JobDetails__Output): JobStatus {
  return {
    jobId: d.job_id,
    name: d.name,
    state: d.state as JobStateName,
    startTime: d.start_time,
    endTime: d.end_time > 0 ? d.end_time : undefined,
    durationMs: d.duration_ms,
    failure: d.failure && d.failure.message ? { name: d.failure.name, message: d.failure.message, stack: d.failure.stack } : undefined,
    restarts: d.restarts,
    lastCheckpointId: d.last_checkpoint_id > 0 ? d.last_checkpoint_id : undefined,
    lastCheckpointPath: d.last_checkpoint_path || undefined,
    waitingReason: d.waiting_reason || undefined,
    vertices: d.vertices,
  };
}
