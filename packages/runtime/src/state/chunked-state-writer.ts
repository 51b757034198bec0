import { ValueWriter } from '../serialization/value-writer.js';
import { crc32 } from './crc32.js';
import { yieldToEventLoop } from './event-loop-yield.js';
import type { StateOutputStream } from './state-output-stream.js';

/** Default size of the chunks handed to a {@link StateOutputStream} (DESIGN.md 13: ≥ 1 MiB, ideally 4 MiB). */
export const DEFAULT_STATE_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Streams a snapshot into a {@link StateOutputStream} in chunks: values are encoded
 * into {@link writer}; once it holds {@link chunkSize} bytes the owner calls
 * {@link flush}, which hands the buffer over (no copy), keeps a running CRC-32 of
 * the whole stream and of the current block, and yields to the event loop.
 *
 * A "block" (a key group, or a whole operator state) is framed by
 * {@link beginBlock}/{@link endBlock}, which appends the block's CRC-32 even when
 * the block spans several chunks.
 */
export class ChunkedStateWriter {
  /** Encodes into the current chunk. */
  readonly writer: ValueWriter;
  private flushed = 0;
  private streamCrc = 0;
  private blockStart = -1;
  private blockCrc = 0;

  /**
   * @param sink receives the chunks
   * @param chunkSize flush threshold in bytes (chunks are at least this big, except the last)
   */
  constructor(private readonly sink: StateOutputStream, readonly chunkSize = DEFAULT_STATE_CHUNK_BYTES) {
    if (!(chunkSize > 0)) throw new RangeError(`Chunk size must be positive, got ${chunkSize}`);
    this.writer = new ValueWriter(Math.min(chunkSize, 64 * 1024 * 1024) + 64 * 1024);
  }

  /** Offset in the whole stream of the next byte written. */
  get position(): number {
    return this.flushed + this.writer.length;
  }

  /** True when the current chunk reached the chunk size. */
  get full(): boolean {
    return this.writer.length >= this.chunkSize;
  }

  /** CRC-32 of every byte flushed so far (all of them after the final {@link flush}). */
  get checksum(): number {
    return this.streamCrc;
  }

  /** Starts a block whose CRC {@link endBlock} appends. */
  beginBlock(): void {
    this.blockStart = this.writer.length;
    this.blockCrc = 0;
  }

  /** Appends the CRC-32 of the block's bytes as a u32. */
  endBlock(): void {
    if (this.blockStart < 0) throw new Error('endBlock() without beginBlock()');
    this.blockCrc = crc32(this.writer.bytes().subarray(this.blockStart), this.blockCrc);
    this.blockStart = -1;
    this.writer.writeUint32(this.blockCrc);
  }

  /** Hands the current chunk to the sink (waiting for it) and yields to the event loop. */
  async flush(): Promise<void> {
    if (this.writer.length === 0) return;
    const chunk = this.writer.takeBytes();
    if (this.blockStart >= 0) {
      this.blockCrc = crc32(chunk.subarray(this.blockStart), this.blockCrc);
      this.blockStart = 0;
    }
    this.streamCrc = crc32(chunk, this.streamCrc);
    this.flushed += chunk.length;
    await this.sink.write(chunk);
    await yieldToEventLoop();
  }
}
