import { serializeError, type Logger } from '@tsflink/core';
import {
  LocalInputChannel, PartitionRegistry, StreamTask,
  type InputChannel, type CheckpointBarrier,
} from '@tsflink/runtime';
import type { DeployTask__Output, JobManagerMessage__Output, TaskState } from '@tsflink/proto';
import type { JobArtifacts } from './job-artifacts.js';
import type { RemoteInputChannels } from './network/remote-input-channels.js';
import type { FileSystemRegistry } from '@tsflink/fs';
import type { TaskStateWriter } from './checkpoint/task-state-writer.js';
import { restoreSourcesOf } from './checkpoint/restore-sources.js';
import type { JobManagerConnection } from './job-manager-connection.js';

/** How long a local consumer waits for its producer (deployed concurrently) to register its partition. */
const LOCAL_PRODUCER_WAIT_MS = 60_000;

interface RunningTask {
  jobId: string;
  attemptId: string;
  task?: StreamTask;
  cancelled: boolean;
  /** Checkpoint writes still in flight: their acknowledgements go out before the task reports its end. */
  pendingWrites: Set<Promise<void>>;
}

/** What the executor needs besides the control connection. */
export interface TaskExecutorDeps {
  taskManagerId: string;
  connection: JobManagerConnection;
  artifacts: JobArtifacts;
  partitions: PartitionRegistry;
  remoteChannels: RemoteInputChannels;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Writes a task's snapshots and acknowledges (or declines) the checkpoint. */
  checkpointWriter: TaskStateWriter;
  fileSystems: FileSystemRegistry;
}

/**
 * Runs the tasks the JobManager deploys to this TaskManager (Flink's
 * TaskExecutor): loads the job, builds channels and the task, reports state
 * changes, cancels on request, and cancels everything when the JobManager is lost.
 */
export class TaskExecutor {
  private readonly tasks = new Map<string, RunningTask>();

  constructor(private readonly deps: TaskExecutorDeps) {}

  get runningTasks(): number {
    return this.tasks.size;
  }

  onMessage(message: JobManagerMessage__Output): void {
    switch (message.body) {
      case 'deploy_task':
        void this.deploy(message.deploy_task!);
        break;
      case 'cancel_task':
        this.cancel(message.cancel_task!.attempt_id);
        break;
      case 'trigger_checkpoint': {
        const t = message.trigger_checkpoint!;
        const barrier: CheckpointBarrier = {
          kind: 'barrier', checkpointId: t.checkpoint_id, timestamp: t.timestamp,
          isSavepoint: t.kind === 'SAVEPOINT_KIND', stopSources: t.stop_sources, targetLocation: t.target_location,
        };
        for (const id of t.attempt_ids) this.tasks.get(id)?.task?.triggerCheckpoint(barrier, t.drain);
        break;
      }
      case 'notify_checkpoint_complete': {
        const n = message.notify_checkpoint_complete!;
        for (const id of n.attempt_ids) this.tasks.get(id)?.task?.notifyCheckpointComplete(n.checkpoint_id);
        break;
      }
      case 'notify_checkpoint_aborted': {
        const n = message.notify_checkpoint_aborted!;
        for (const id of n.attempt_ids) this.tasks.get(id)?.task?.notifyCheckpointAborted(n.checkpoint_id);
        break;
      }
      case 'release_job':
        this.releaseJob(message.release_job!.job_id);
        break;
      default:
        break;
    }
  }

  /** The JobManager is gone: its tasks cannot continue (they are redeployed after it comes back). */
  cancelAll(reason: string): void {
    if (this.tasks.size > 0) this.deps.logger.warn({ tasks: this.tasks.size }, `Cancelling all tasks: ${reason}.`);
    for (const id of [...this.tasks.keys()]) this.cancel(id);
  }

  private cancel(attemptId: string): void {
    const t = this.tasks.get(attemptId);
    if (!t || t.cancelled) return;
    t.cancelled = true;
    t.task?.cancel();
  }

  private releaseJob(jobId: string): void {
    this.deps.artifacts.release(jobId);
  }

  private report(jobId: string, attemptId: string, state: TaskState, error?: Error): void {
    this.deps.connection.send({ task_state: { job_id: jobId, attempt_id: attemptId, state, failure: error ? serializeError(error) : undefined } });
  }

  private async deploy(d: DeployTask__Output): Promise<void> {
    const log = this.deps.logger.child({ jobId: d.job_id, attemptId: d.attempt_id, vertexId: d.vertex_id, subtask: d.subtask_index });
    const running: RunningTask = { jobId: d.job_id, attemptId: d.attempt_id, cancelled: false, pendingWrites: new Set() };
    this.tasks.set(d.attempt_id, running);
    let task: StreamTask | undefined;
    let inputChannels: InputChannel[] = [];
    try {
      const job = await this.deps.artifacts.load(d.job_id);
      const planned = await this.deps.artifacts.plan(job);
      const vertex = job.graph.vertices.find((v) => v.id === d.vertex_id);
      if (!vertex) throw new Error(`The submitted job graph has no vertex ${d.vertex_id}.`);
      for (const op of vertex.operators) {
        if (!planned.operators.has(op.id)) {
          throw new Error(`The job's code does not produce the submitted plan on this TaskManager: operator ${op.id} (${op.name}) is missing. `
            + 'The job must build the same topology every time its main runs (no randomness or environment-dependent operators).');
        }
      }
      const effectiveVertex = { ...vertex, parallelism: d.parallelism, maxParallelism: d.max_parallelism };
      inputChannels = await this.openInputs(d);
      if (running.cancelled) { for (const c of inputChannels) c.release(); this.finishTask(running, 'TASK_CANCELED'); return; }
      task = new StreamTask({
        jobId: d.job_id,
        attemptId: d.attempt_id,
        attemptNumber: d.attempt_number,
        jobGraph: job.graph,
        vertex: effectiveVertex,
        subtaskIndex: d.subtask_index,
        outputs: d.outputs.map((o) => ({
          edgeIndex: o.edge_index,
          consumerParallelism: o.consumer_parallelism,
          consumerMaxParallelism: job.graph.vertices.find((v) => v.id === job.graph.edges[o.edge_index]!.targetVertex)!.maxParallelism,
        })),
        inputChannels,
        exactlyOnce: d.checkpointing_mode !== 'AT_LEAST_ONCE',
        restore: d.restore ? restoreSourcesOf(d.restore, this.deps.fileSystems) : undefined,
      }, planned, {
        logger: log,
        now: Date.now,
        stdout: this.deps.stdout,
        stderr: this.deps.stderr,
        partitions: this.deps.partitions,
        onCheckpointSnapshot: (barrier, snapshots, metrics) => {
          const write = this.deps.checkpointWriter.write({ jobId: d.job_id, attemptId: d.attempt_id, vertexId: d.vertex_id, subtaskIndex: d.subtask_index }, barrier, snapshots, metrics);
          running.pendingWrites.add(write);
          void write.finally(() => running.pendingWrites.delete(write));
        },
        onCheckpointDeclined: (checkpointId, error) =>
          this.deps.checkpointWriter.decline({ jobId: d.job_id, attemptId: d.attempt_id }, checkpointId, error),
      });
      running.task = task;
      if (running.cancelled) task.cancel();
      this.report(d.job_id, d.attempt_id, 'TASK_RUNNING');
      log.info(`Task ${vertex.name} (${d.subtask_index + 1}/${d.parallelism}) is running.`);
      const result = await task.run();
      // A stop-with-savepoint snapshot is written after the task ended its input: acknowledge it first.
      await Promise.allSettled([...running.pendingWrites]);
      log.info(`Task ${vertex.name} (${d.subtask_index + 1}/${d.parallelism}) ${result === 'FINISHED' ? 'finished' : 'was cancelled'}.`);
      this.finishTask(running, result === 'FINISHED' ? 'TASK_FINISHED' : 'TASK_CANCELED');
    } catch (e) {
      if (!task) for (const c of inputChannels) c.release(); // the task never took them over
      if (running.cancelled) { this.finishTask(running, 'TASK_CANCELED'); return; }
      const err = e instanceof Error ? e : new Error(String(e));
      log.error({ err }, `Task failed: ${err.message}`);
      task?.cancel();
      this.finishTask(running, 'TASK_FAILED', err);
    }
  }

  private finishTask(running: RunningTask, state: TaskState, error?: Error): void {
    this.tasks.delete(running.attemptId);
    this.report(running.jobId, running.attemptId, state, error);
  }

  private async openInputs(d: DeployTask__Output): Promise<InputChannel[]> {
    const channels: InputChannel[] = [];
    for (const gate of d.inputs) {
      for (const ch of gate.channels) {
        if (ch.producer_task_manager_id === this.deps.taskManagerId) {
          const partition = await this.deps.partitions.lookup(ch.producer_attempt_id, gate.edge_index, LOCAL_PRODUCER_WAIT_MS);
          channels.push(new LocalInputChannel(partition.subpartitions[d.subtask_index]!));
        } else {
          channels.push(this.deps.remoteChannels.open(ch.producer_data_address, {
            job_id: d.job_id,
            producer_attempt_id: ch.producer_attempt_id,
            edge_index: gate.edge_index,
            subpartition: d.subtask_index,
            consumer_attempt_id: d.attempt_id,
          }));
        }
      }
    }
    return channels;
  }
}
