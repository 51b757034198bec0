import type { PartitionerKind } from '@tsflink/api';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../state/key-group-assignment.js';

/**
 * Chooses the consumer channel(s) of a record on one output edge (Flink's
 * StreamPartitioner family). `select` returns a channel index, or -1 for
 * "every channel" (broadcast).
 */
export interface ChannelSelector {
  readonly isBroadcast: boolean;
  /** True on a keyBy edge: `select` leaves the record's key group in {@link keyGroup}. */
  readonly routesByKeyGroup: boolean;
  /** The key group of the record last passed to `select` (keyBy edges only). */
  readonly keyGroup: number;
  select(value: unknown): number;
}

export interface PartitionerContext {
  kind: PartitionerKind;
  numberOfChannels: number;
  /** Producer subtask index (forward: same index; rebalance: start position). */
  producerIndex: number;
  producerParallelism: number;
  /** For 'hash': the key of a record, and the consumer's max parallelism (its number of key groups). */
  keySelector?: (value: unknown) => unknown;
  consumerMaxParallelism: number;
}

export function createChannelSelector(ctx: PartitionerContext): ChannelSelector {
  const n = ctx.numberOfChannels;
  if (ctx.kind === 'hash' && !ctx.keySelector) throw new Error('A hash (keyBy) edge needs a key selector.');
  // One consumer: every record goes to it, whatever the partitioner (a keyBy edge then hashes nothing here;
  // the consumer computes the key group once when it sets the current key).
  if (n === 1 && ctx.kind !== 'broadcast') return plain(() => 0);
  switch (ctx.kind) {
    case 'forward': {
      const target = ctx.producerIndex % n;
      return plain(() => target);
    }
    case 'rebalance': {
      let next = ctx.producerIndex % n;
      return plain(() => { const c = next; next = next + 1 === n ? 0 : next + 1; return c; });
    }
    case 'rescale': {
      // Each producer feeds a contiguous subset of the consumers, round-robin (Flink's RescalePartitioner).
      const p = ctx.producerParallelism;
      const from = Math.floor((ctx.producerIndex * n) / p);
      const to = n >= p ? Math.floor(((ctx.producerIndex + 1) * n) / p) : from + 1;
      const width = Math.max(1, to - from);
      let i = 0;
      return plain(() => { const c = from + i; i = i + 1 === width ? 0 : i + 1; return c; });
    }
    case 'shuffle':
      return plain(() => Math.floor(Math.random() * n));
    case 'broadcast':
      return { isBroadcast: true, routesByKeyGroup: false, keyGroup: -1, select: () => -1 };
    case 'hash':
      return new KeyGroupSelector(ctx.keySelector!, ctx.consumerMaxParallelism, n);
  }
}

/** A selector that does not look at keys. */
function plain(select: (value: unknown) => number): ChannelSelector {
  return { isBroadcast: false, routesByKeyGroup: false, keyGroup: -1, select };
}

/** keyBy: the channel of the subtask whose key-group range holds the record's key group (Flink's KeyGroupStreamPartitioner). */
class KeyGroupSelector implements ChannelSelector {
  readonly isBroadcast = false;
  readonly routesByKeyGroup = true;
  keyGroup = -1;

  constructor(
    private readonly keyOf: (value: unknown) => unknown,
    private readonly maxParallelism: number,
    private readonly numberOfChannels: number,
  ) {}

  select(value: unknown): number {
    const keyGroup = assignToKeyGroup(this.keyOf(value), this.maxParallelism);
    this.keyGroup = keyGroup;
    return computeOperatorIndexForKeyGroup(this.maxParallelism, this.numberOfChannels, keyGroup);
  }
}
