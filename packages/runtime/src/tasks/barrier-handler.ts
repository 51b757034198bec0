import type { CheckpointBarrier } from '../network/stream-item.js';
import type { InputGate } from '../network/input-gate.js';

/**
 * Decides when a task with several input channels takes its snapshot for a
 * checkpoint (Chandy–Lamport with aligned barriers). EXACTLY_ONCE: a channel that
 * delivered barrier n is blocked until every live channel did; then the task
 * snapshots and all channels resume. AT_LEAST_ONCE: nothing is blocked; the
 * snapshot is taken when the last barrier arrives. A newer barrier aborts an
 * unfinished alignment (the older checkpoint is declined by its timeout or abort),
 * and so does the JobManager's abort notification (a task upstream declined, the
 * checkpoint timed out): the blocked channels resume at once instead of waiting
 * for the next checkpoint's barriers.
 */
export class BarrierHandler {
  private current?: { barrier: CheckpointBarrier; received: Set<number>; startedAt: number };
  private lastTriggered = 0;

  constructor(
    private readonly gate: InputGate,
    private readonly exactlyOnce: boolean,
    private readonly now: () => number,
  ) {}

  /** Returns the barrier whose snapshot must be taken now (alignment complete), if any, with the alignment time. */
  onBarrier(channel: number, barrier: CheckpointBarrier): { barrier: CheckpointBarrier; alignmentMs: number } | undefined {
    if (barrier.checkpointId <= this.lastTriggered) return undefined; // late barrier of a completed or aborted checkpoint
    if (!this.current || barrier.checkpointId > this.current.barrier.checkpointId) {
      if (this.current) this.gate.unblockAll();
      this.current = { barrier, received: new Set(), startedAt: this.now() };
    } else if (barrier.checkpointId < this.current.barrier.checkpointId) {
      return undefined;
    }
    this.current.received.add(channel);
    if (this.exactlyOnce) this.gate.block(channel);
    return this.completeIfAligned();
  }

  /**
   * Checkpoint `checkpointId` was aborted: an alignment for it (or an older one)
   * ends and its channels resume; its barriers still on their way are ignored.
   */
  abort(checkpointId: number): void {
    if (checkpointId > this.lastTriggered) this.lastTriggered = checkpointId;
    if (this.current && this.current.barrier.checkpointId <= checkpointId) {
      this.current = undefined;
      this.gate.unblockAll();
    }
  }

  /** A finished channel no longer needs to deliver the barrier. */
  onEndOfPartition(): { barrier: CheckpointBarrier; alignmentMs: number } | undefined {
    return this.current ? this.completeIfAligned() : undefined;
  }

  private completeIfAligned(): { barrier: CheckpointBarrier; alignmentMs: number } | undefined {
    const c = this.current!;
    for (let i = 0; i < this.gate.numberOfChannels; i++) {
      if (!c.received.has(i) && !this.gate.isChannelFinished(i)) return undefined;
    }
    this.current = undefined;
    this.lastTriggered = c.barrier.checkpointId;
    if (this.exactlyOnce) this.gate.unblockAll();
    return { barrier: c.barrier, alignmentMs: this.now() - c.startedAt };
  }
}
