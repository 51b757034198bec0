import type { StateByteReader, StateOutputStream } from './state-output-stream.js';

/**
 * A {@link StateOutputStream} that keeps the chunks in memory: for state small
 * enough to be inlined into checkpoint metadata, and for tests. {@link reader}
 * reads the collected bytes back as a restore source would.
 */
export class MemoryStateOutputStream implements StateOutputStream {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Number of bytes written. */
  get length(): number {
    return this.total;
  }

  /** The sizes of the chunks received, in order. */
  get chunkSizes(): number[] {
    return this.chunks.map((c) => c.length);
  }

  /** All bytes written, as one Buffer. */
  toBuffer(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
  }

  /** A byte reader over the bytes written so far. */
  reader(): StateByteReader {
    const bytes = this.toBuffer();
    return (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(offset + length, bytes.length)));
  }
}
