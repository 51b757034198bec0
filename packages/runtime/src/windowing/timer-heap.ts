import type { Key } from '@tsflink/api';

/**
 * One registered timer as the in-memory queue holds it. `heapIndex` is its
 * position in the {@link TimerHeap} (-1 when not in one), so the heap removes it
 * in O(log n); `seq` orders timers of equal time by registration.
 */
export class TimerEntry<N> {
  heapIndex = -1;

  constructor(
    readonly timestamp: number,
    /** The key that registered the timer, as the user gave it. */
    readonly key: Key,
    readonly namespace: N,
    /** The namespace as stored in keyed state (see `NamespaceCodec`). */
    readonly namespaceKey: string,
    /** Unique per (key, namespace, timestamp) within a queue: the index key. */
    readonly id: string,
    readonly seq: number,
  ) {}
}

/**
 * A binary min-heap of timers by (timestamp, seq), with removal of any entry in
 * O(log n) (Flink's `HeapPriorityQueue` of timers).
 */
export class TimerHeap<N> {
  private readonly entries: TimerEntry<N>[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** The earliest timer, or undefined when empty. */
  peek(): TimerEntry<N> | undefined {
    return this.entries[0];
  }

  add(entry: TimerEntry<N>): void {
    if (entry.heapIndex !== -1) throw new Error('The timer is already in a heap');
    entry.heapIndex = this.entries.length;
    this.entries.push(entry);
    this.siftUp(entry.heapIndex);
  }

  /** Removes and returns the earliest timer, or undefined when empty. */
  poll(): TimerEntry<N> | undefined {
    const first = this.entries[0];
    if (first !== undefined) this.removeAt(0);
    return first;
  }

  /** Removes `entry`; false when it is not in this heap. */
  remove(entry: TimerEntry<N>): boolean {
    const index = entry.heapIndex;
    if (index < 0 || this.entries[index] !== entry) return false;
    this.removeAt(index);
    return true;
  }

  /** Replaces the contents with `entries` in O(n) (bottom-up heap construction). */
  rebuild(entries: readonly TimerEntry<N>[]): void {
    for (const e of this.entries) e.heapIndex = -1;
    this.entries.length = 0;
    for (const e of entries) {
      e.heapIndex = this.entries.length;
      this.entries.push(e);
    }
    for (let i = (this.entries.length >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private removeAt(index: number): void {
    const entries = this.entries;
    const removed = entries[index]!;
    removed.heapIndex = -1;
    const last = entries.pop()!;
    if (index === entries.length) return;
    entries[index] = last;
    last.heapIndex = index;
    if (index > 0 && less(last, entries[(index - 1) >>> 1]!)) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(index: number): void {
    const entries = this.entries;
    const entry = entries[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >>> 1;
      const parent = entries[parentIndex]!;
      if (!less(entry, parent)) break;
      entries[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    entries[index] = entry;
    entry.heapIndex = index;
  }

  private siftDown(index: number): void {
    const entries = this.entries;
    const n = entries.length;
    const entry = entries[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && less(entries[right]!, entries[left]!) ? right : left;
      const smallest = entries[child]!;
      if (!less(smallest, entry)) break;
      entries[index] = smallest;
      smallest.heapIndex = index;
      index = child;
    }
    entries[index] = entry;
    entry.heapIndex = index;
  }
}

function less<N>(a: TimerEntry<N>, b: TimerEntry<N>): boolean {
  return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
}
