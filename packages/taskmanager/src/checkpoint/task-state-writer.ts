import type { Logger } from '@tsflink/core';
import { CheckpointLayout, type CheckpointBarrier, type OperatorSnapshot } from '@tsflink/runtime';
import type { FileSystemRegistry } from '@tsflink/fs';
import type { OperatorSubtaskState, StreamStateHandle, TaskManagerMessage } from '@tsflink/proto';
import { ThresholdStateOutput } from './threshold-state-output.js';

/** Flink inlines state below 20 KB into the checkpoint metadata. */
export const INLINE_STATE_THRESHOLD = 20 * 1024;

export interface TaskIdentity {
  jobId: string;
  attemptId: string;
  vertexId: string;
  subtaskIndex: number;
}

/**
 * The asynchronous part of a task's checkpoint: writes the operators'
 * snapshots into one state file per task (or inline when small), then
 * acknowledges to the JobManager with handles (path, offsets, sizes, CRC-32).
 * Any failure declines the checkpoint with its cause and removes what was written.
 */
export class TaskStateWriter {
  constructor(
    private readonly fileSystems: FileSystemRegistry,
    private readonly send: (message: TaskManagerMessage) => void,
    private readonly logger: Logger,
  ) {}

  /** Writes and acknowledges in the background; the promise settles once the acknowledgement (or decline) was sent. */
  write(task: TaskIdentity, barrier: CheckpointBarrier, snapshots: OperatorSnapshot[], metrics: { syncMs: number; alignmentMs: number }): Promise<void> {
    return this.writeAndAcknowledge(task, barrier, snapshots, metrics);
  }

  decline(task: { jobId: string; attemptId: string }, checkpointId: number, error: Error): void {
    this.send({ decline_checkpoint: { job_id: task.jobId, attempt_id: task.attemptId, checkpoint_id: checkpointId, reason: { name: error.name, message: error.message, stack: error.stack ?? '' } } });
  }

  private async writeAndAcknowledge(task: TaskIdentity, barrier: CheckpointBarrier, snapshots: OperatorSnapshot[], metrics: { syncMs: number; alignmentMs: number }): Promise<void> {
    const started = Date.now();
    const log = this.logger.child({ jobId: task.jobId, attemptId: task.attemptId, checkpointId: barrier.checkpointId });
    let out: ThresholdStateOutput | undefined;
    try {
      const location = barrier.targetLocation;
      const fs = location ? await this.fileSystems.get(location) : undefined;
      const path = location ? CheckpointLayout.taskStateFile(location, task.vertexId, task.subtaskIndex) : '';
      out = new ThresholdStateOutput(fs, path, INLINE_STATE_THRESHOLD);
      const operators: OperatorSubtaskState[] = [];
      const ranges: Array<{ op: OperatorSubtaskState; keyed?: [number, number]; operator?: [number, number] }> = [];
      for (const snap of snapshots) {
        const entry: OperatorSubtaskState = { operator_id: snap.operatorId, subtask_index: task.subtaskIndex, state_size: 0 };
        const range: { op: OperatorSubtaskState; keyed?: [number, number]; operator?: [number, number] } = { op: entry };
        if (snap.keyed) {
          const start = out.position;
          const r = await snap.keyed.write(out);
          range.keyed = [start, r.length];
          entry.keyed = {
            start_key_group: r.keyGroupRange.start, end_key_group: r.keyGroupRange.end,
            key_group_offsets: r.keyGroupOffsets, states: r.states.map((s) => ({ name: s.name, kind: s.kind })),
            format_version: r.formatVersion, max_parallelism: r.maxParallelism,
            data: { path, offset: start, length: r.length, crc32: r.checksum },
          };
          entry.state_size = Number(entry.state_size) + r.length;
        }
        if (snap.operator) {
          const start = out.position;
          const r = await snap.operator.write(out);
          range.operator = [start, r.length];
          entry.operator = {
            format_version: r.formatVersion,
            states: Object.entries(r.states).map(([name, meta]) => ({ name, mode: meta.mode, element_offsets: [...meta.offsets] })),
            data: { path, offset: start, length: r.length, crc32: r.checksum },
          };
          entry.state_size = Number(entry.state_size) + r.length;
        }
        if (entry.keyed || entry.operator) { operators.push(entry); ranges.push(range); }
      }
      const inline = await out.close();
      if (inline) {
        // Small state: the bytes travel in the acknowledgement and end up in _metadata.
        for (const r of ranges) {
          if (r.keyed && r.op.keyed) r.op.keyed.data = inlineHandle(inline, r.keyed, r.op.keyed.data!);
          if (r.operator && r.op.operator) r.op.operator.data = inlineHandle(inline, r.operator, r.op.operator.data!);
        }
      }
      const asyncMs = Date.now() - started;
      this.send({
        acknowledge_checkpoint: {
          job_id: task.jobId, attempt_id: task.attemptId, checkpoint_id: barrier.checkpointId,
          state: { operators },
          metrics: { sync_duration_ms: metrics.syncMs, async_duration_ms: asyncMs, alignment_duration_ms: metrics.alignmentMs, bytes_written: out.position },
        },
      });
      log.debug({ bytes: out.position, inline: !!inline, syncMs: metrics.syncMs, asyncMs }, `Acknowledged checkpoint ${barrier.checkpointId}.`);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      log.warn({ err }, `Could not write state for checkpoint ${barrier.checkpointId}: ${err.message}`);
      for (const s of snapshots) s.keyed?.release();
      await out?.abort().catch(() => {});
      this.decline(task, barrier.checkpointId, err);
    }
  }
}

function inlineHandle(bytes: Buffer, [start, length]: [number, number], handle: StreamStateHandle): StreamStateHandle {
  return { path: '', offset: 0, length, crc32: handle.crc32, inline_data: bytes.subarray(start, start + length) };
}
