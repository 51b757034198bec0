import { ValueWriter } from '../serialization/value-writer.js';
import { SHARED_CHUNK_BUFFERS } from './chunk-buffer-pool.js';
import type { ChunkBufferPool } from './chunk-buffer-pool.js';
import { crc32, crc32Combine } from './crc32.js';
import { yieldToEventLoop } from './event-loop-yield.js';
import type { StateOutputStream } from './state-output-stream.js';

/** Default size of the chunks handed to a {@link StateOutputStream} (DESIGN.md 13: ≥ 1 MiB, ideally 4 MiB). */
export const DEFAULT_STATE_CHUNK_BYTES = 4 * 1024 * 1024;

/** Room beyond the chunk size, so that the entry that fills a chunk rarely makes the buffer grow. */
const CHUNK_SLACK_BYTES = 64 * 1024;

/**
 * Streams a snapshot into a {@link StateOutputStream} in chunks: values are encoded
 * into {@link writer}; once it holds {@link chunkSize} bytes the owner calls
 * {@link flush}, which hands the buffer over (no copy) and yields to the event
 * loop. {@link close} hands over the rest and waits for the last write.
 *
 * The sink's write of one chunk overlaps with the encoding of the next (at most
 * one write in flight). When the sink releases chunks (`releasesChunks`), the
 * writer alternates between two buffers taken from a {@link ChunkBufferPool}, and
 * gives them back at the end, instead of allocating a fresh one per chunk: fresh
 * pages cost a page fault each on first touch (bench/README.md).
 *
 * A "block" (a key group) is framed by {@link beginBlock}/{@link endBlock}, which
 * appends the block's CRC-32 even when the block spans several chunks. Every byte
 * is checksummed once: bytes inside a block into the block's CRC, which is then
 * folded into the stream's CRC ({@link crc32Combine}); bytes outside blocks
 * directly into the stream's CRC.
 */
export class ChunkedStateWriter {
  /** Encodes into the current chunk. */
  readonly writer: ValueWriter;
  private readonly capacity: number;
  /** Bytes handed to the sink so far. */
  private flushed = 0;
  /** CRC-32 of the stream's bytes before `crcEnd` (an absolute position). */
  private streamCrc = 0;
  private crcEnd = 0;
  /** Absolute position of the open block's first byte; -1 when no block is open. */
  private blockStart = -1;
  /** CRC-32 of the open block's bytes in chunks already handed over. */
  private blockCrc = 0;
  /** The sink's write of the previous chunk. */
  private inFlight: Promise<void> | undefined;
  /** The buffer of the chunk in flight, reused for the chunk after next when the sink releases chunks. */
  private spare: Buffer | undefined;
  private readonly reuse: boolean;

  /**
   * @param sink receives the chunks
   * @param chunkSize flush threshold in bytes (chunks are at least this big, except the last)
   * @param pool where the two buffers come from and go back to when the sink releases chunks
   */
  constructor(
    private readonly sink: StateOutputStream,
    readonly chunkSize = DEFAULT_STATE_CHUNK_BYTES,
    private readonly pool: ChunkBufferPool = SHARED_CHUNK_BUFFERS,
  ) {
    if (!(chunkSize > 0)) throw new RangeError(`Chunk size must be positive, got ${chunkSize}`);
    this.capacity = Math.min(chunkSize, 64 * 1024 * 1024) + CHUNK_SLACK_BYTES;
    this.reuse = sink.releasesChunks === true;
    if (this.reuse) {
      this.writer = new ValueWriter(64);
      this.writer.swapBuffer(pool.acquire(this.capacity));
    } else {
      this.writer = new ValueWriter(this.capacity);
    }
  }

  /** Offset in the whole stream of the next byte written. */
  get position(): number {
    return this.flushed + this.writer.length;
  }

  /** True when the current chunk reached the chunk size. */
  get full(): boolean {
    return this.writer.length >= this.chunkSize;
  }

  /** CRC-32 of every byte handed over (of the whole stream once {@link close} resolved). */
  get checksum(): number {
    return this.streamCrc;
  }

  /** Starts a block whose CRC {@link endBlock} appends. */
  beginBlock(): void {
    if (this.blockStart >= 0) throw new Error('beginBlock() inside an open block');
    const bytes = this.writer.bytes();
    this.streamCrc = crc32(bytes.subarray(this.crcEnd - this.flushed), this.streamCrc);
    this.crcEnd = this.position;
    this.blockStart = this.position;
    this.blockCrc = 0;
  }

  /** Appends the CRC-32 of the block's bytes as a u32. */
  endBlock(): void {
    if (this.blockStart < 0) throw new Error('endBlock() without beginBlock()');
    const bytes = this.writer.bytes();
    this.blockCrc = crc32(bytes.subarray(Math.max(this.blockStart - this.flushed, 0)), this.blockCrc);
    this.streamCrc = crc32Combine(this.streamCrc, this.blockCrc, this.position - this.blockStart);
    this.crcEnd = this.position;
    this.blockStart = -1;
    this.writer.writeUint32(this.blockCrc);
  }

  /** Appends raw bytes, handing chunks over as they fill. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const room = this.chunkSize - this.writer.length;
      if (room <= 0) {
        await this.flush();
        continue;
      }
      const end = Math.min(bytes.length, at + room);
      this.writer.writeBytes(bytes.subarray(at, end));
      at = end;
    }
  }

  /**
   * Hands the current chunk to the sink once the previous chunk's write finished,
   * then yields to the event loop; the new chunk's write runs while encoding goes on.
   */
  async flush(): Promise<void> {
    const length = this.writer.length;
    if (length === 0) return;
    const bytes = this.writer.bytes();
    if (this.blockStart >= 0) {
      this.blockCrc = crc32(bytes.subarray(Math.max(this.blockStart - this.flushed, 0)), this.blockCrc);
    } else {
      this.streamCrc = crc32(bytes.subarray(this.crcEnd - this.flushed), this.streamCrc);
      this.crcEnd = this.flushed + length;
    }
    await this.inFlight;
    let chunk: Buffer;
    if (this.reuse) {
      const whole = this.writer.swapBuffer(this.spare ?? this.pool.acquire(this.capacity));
      chunk = whole.subarray(0, length);
      this.spare = whole;
    } else {
      chunk = this.writer.takeBytes();
    }
    this.flushed += length;
    this.inFlight = startWrite(this.sink, chunk);
    await yieldToEventLoop();
  }

  /** Hands over what is left and waits until the sink wrote everything; no write may follow. */
  async close(): Promise<void> {
    if (this.blockStart >= 0) throw new Error('close() inside an open block');
    await this.flush();
    await this.inFlight;
    this.returnBuffers();
  }

  /** After a failure: waits until no write is in flight any more (ignoring its outcome), so the sink can be aborted. */
  async abandon(): Promise<void> {
    await this.inFlight?.catch(() => {});
    this.returnBuffers();
  }

  /** Gives the two buffers back to the pool (those that did not grow), once the sink is done with them. */
  private returnBuffers(): void {
    if (!this.reuse) return;
    const current = this.writer.swapBuffer(Buffer.allocUnsafe(64)); // the writer is done: park it on a tiny buffer
    for (const buffer of [current, this.spare]) {
      if (buffer !== undefined && buffer.length === this.capacity) this.pool.release(buffer);
    }
    this.spare = undefined;
  }
}

/** Starts the sink's write; a failure surfaces where the promise is awaited (the next flush or close). */
function startWrite(sink: StateOutputStream, chunk: Buffer): Promise<void> {
  let pending: Promise<void>;
  try {
    pending = Promise.resolve(sink.write(chunk));
  } catch (error) {
    pending = Promise.reject(error);
  }
  pending.catch(() => {}); // handled by whoever awaits it; never an unhandled rejection while encoding goes on
  return pending;
}
