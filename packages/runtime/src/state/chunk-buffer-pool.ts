/**
 * Chunk buffers kept between snapshots, for sinks that release their chunks
 * (`StateOutputStream.releasesChunks`): a snapshot every 100 ms would otherwise
 * map fresh pages for its chunks each time, paying a page fault per 4 KiB on first
 * touch and evicting the task's state from the caches. Holds at most
 * `maxIdle` buffers; one process-wide pool serves all backends of a TaskManager.
 */
export class ChunkBufferPool {
  private readonly idle: Buffer[] = [];

  constructor(private readonly maxIdle = 4) {}

  /** A buffer of exactly `bytes`: a kept one when there is one of that size, else a new one. */
  acquire(bytes: number): Buffer {
    const at = this.idle.findIndex((b) => b.length === bytes);
    if (at < 0) return Buffer.allocUnsafe(bytes);
    return this.idle.splice(at, 1)[0]!;
  }

  /** Gives a buffer back once nothing refers to its bytes any more. */
  release(buffer: Buffer): void {
    if (this.idle.length < this.maxIdle && !this.idle.includes(buffer)) this.idle.push(buffer);
  }

  /** Number of buffers kept. */
  get size(): number {
    return this.idle.length;
  }
}

/** The pool the snapshot writers of this process share. */
export const SHARED_CHUNK_BUFFERS = new ChunkBufferPool();
