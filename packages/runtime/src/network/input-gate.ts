import type { InputChannel } from './input-channel.js';
import type { StreamItem } from './stream-item.js';

/** An item with the channel it came from. */
export interface GateItem {
  channel: number;
  item: StreamItem;
}

/**
 * Merges the input channels of a task. Channels can be blocked (during barrier
 * alignment) so that their items stay queued until unblocked. A channel that
 * delivered end-of-partition is finished; the gate is finished when all are.
 */
export class InputGate {
  private readonly blocked: boolean[];
  private readonly finished: boolean[];
  private finishedCount = 0;
  private next = 0;
  private wake?: () => void;
  private dataAvailable = true;

  constructor(readonly channels: readonly InputChannel[]) {
    this.blocked = channels.map(() => false);
    this.finished = channels.map(() => false);
    const onAvailable = () => {
      this.dataAvailable = true;
      const w = this.wake;
      if (w) { this.wake = undefined; w(); }
    };
    for (const c of channels) c.setAvailabilityListener(onAvailable);
  }

  get numberOfChannels(): number {
    return this.channels.length;
  }

  get isFinished(): boolean {
    return this.finishedCount === this.channels.length;
  }

  isChannelFinished(channel: number): boolean {
    return this.finished[channel]!;
  }

  /** The next item of any unblocked channel (round-robin), or undefined if none is ready. */
  poll(): GateItem | undefined {
    const n = this.channels.length;
    for (let i = 0; i < n; i++) {
      const c = (this.next + i) % n;
      if (this.blocked[c] || this.finished[c]) continue;
      const item = this.channels[c]!.poll();
      if (item === undefined) continue;
      // Move on after every item: a channel whose producer keeps it full must not starve the others.
      this.next = (c + 1) % n;
      if (item.kind === 'end-of-partition') {
        this.finished[c] = true;
        this.finishedCount++;
      }
      return { channel: c, item };
    }
    this.dataAvailable = false;
    return undefined;
  }

  /** Resolves when some channel may have data (or immediately if that is already known). */
  whenAvailable(): Promise<void> {
    if (this.dataAvailable) return Promise.resolve();
    return new Promise((resolve) => { this.wake = resolve; });
  }

  /** Wakes a pending `whenAvailable` (used when other work arrives for the task). */
  interrupt(): void {
    const w = this.wake;
    if (w) { this.wake = undefined; w(); }
  }

  block(channel: number): void {
    this.blocked[channel] = true;
  }

  unblockAll(): void {
    this.blocked.fill(false);
    this.dataAvailable = true;
  }

  release(): void {
    for (const c of this.channels) c.release();
  }
}
