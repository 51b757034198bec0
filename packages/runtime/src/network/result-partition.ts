import { ResultSubpartition } from './result-subpartition.js';

/** Records a subpartition may hold before its producer waits (back-pressure bound per channel). */
export const DEFAULT_SUBPARTITION_CAPACITY = 8 * 1024;

/** The output of one producer task on one edge: one subpartition per consumer subtask. */
export class ResultPartition {
  readonly subpartitions: ResultSubpartition[];
  /** Called once when every subpartition is done (consumed to its end, or released), or the partition was released. */
  onDone?: () => void;
  private consumed = 0;
  private done = false;

  constructor(readonly producerAttemptId: string, readonly edgeIndex: number, numberOfSubpartitions: number, capacity = DEFAULT_SUBPARTITION_CAPACITY) {
    this.subpartitions = Array.from({ length: numberOfSubpartitions }, (_, i) => {
      const sp = new ResultSubpartition(i, capacity);
      sp.onConsumed = () => { if (++this.consumed === numberOfSubpartitions) this.markDone(); };
      return sp;
    });
  }

  /** Drops all buffered data (the producer was cancelled or failed). */
  release(): void {
    for (const sp of this.subpartitions) sp.release();
    this.markDone();
  }

  private markDone(): void {
    if (this.done) return;
    this.done = true;
    this.onDone?.();
  }
}

/**
 * The result partitions of the tasks running in one TaskManager, by
 * (producer attempt, edge). Consumers — local channels and the network server
 * for remote consumers — look partitions up here; a lookup for a producer that
 * is not deployed yet waits for it (tasks of a job are deployed concurrently).
 */
export class PartitionRegistry {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly waiters = new Map<string, Array<(p: ResultPartition) => void>>();

  /** Registers a partition; it unregisters itself once fully consumed or released. */
  register(partition: ResultPartition): void {
    const key = keyOf(partition.producerAttemptId, partition.edgeIndex);
    this.partitions.set(key, partition);
    partition.onDone = () => this.unregister(partition);
    const waiting = this.waiters.get(key);
    if (waiting) {
      this.waiters.delete(key);
      for (const w of waiting) w(partition);
    }
  }

  unregister(partition: ResultPartition): void {
    const key = keyOf(partition.producerAttemptId, partition.edgeIndex);
    if (this.partitions.get(key) === partition) this.partitions.delete(key);
  }

  get size(): number {
    return this.partitions.size;
  }

  /** The partition, waiting up to `timeoutMs` for its producer to be deployed. */
  async lookup(producerAttemptId: string, edgeIndex: number, timeoutMs: number): Promise<ResultPartition> {
    const key = keyOf(producerAttemptId, edgeIndex);
    const existing = this.partitions.get(key);
    if (existing) return existing;
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(key) ?? [];
      const timer = setTimeout(() => {
        const l = this.waiters.get(key);
        if (l) l.splice(l.indexOf(done), 1);
        reject(new Error(`Result partition of producer ${producerAttemptId} (edge ${edgeIndex}) was not found within ${timeoutMs} ms.`));
      }, timeoutMs);
      const done = (p: ResultPartition) => { clearTimeout(timer); resolve(p); };
      list.push(done);
      this.waiters.set(key, list);
    });
  }
}

function keyOf(attemptId: string, edgeIndex: number): string {
  return `${attemptId}/${edgeIndex}`;
}
