import type { FileSystem, FsOutputStream } from '@tsflink/fs';
import type { StateOutputStream } from '@tsflink/runtime';

/**
 * The stream a task writes one checkpoint's state into. Bytes stay in memory
 * until they pass `inlineThreshold` (Flink inlines state below 20 KB into the
 * metadata); only then is the task's state file created, so small state costs
 * no file at all. With no file system (JobManager-memory checkpoints) everything
 * stays inline.
 *
 * It releases chunks (the snapshot writers may reuse their buffers) when it
 * writes to the local file system, whose stream has handed a chunk to the kernel
 * when its write resolves; what it keeps in memory meanwhile it copies. Object
 * stores may queue a chunk after their write resolved, so there every chunk stays
 * a fresh buffer.
 */
export class ThresholdStateOutput implements StateOutputStream {
  readonly releasesChunks: boolean;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private file?: FsOutputStream;
  position = 0;

  constructor(
    private readonly fs: FileSystem | undefined,
    readonly path: string,
    private readonly inlineThreshold: number,
  ) {
    this.releasesChunks = fs === undefined || fs.scheme === 'file';
  }

  async write(chunk: Buffer): Promise<void> {
    this.position += chunk.length;
    if (this.file) { await this.file.write(chunk); return; }
    if (this.fs && this.bufferedBytes + chunk.length > this.inlineThreshold) {
      this.file = await this.fs.create(this.path);
      const pending = this.buffered.length === 0 ? chunk : Buffer.concat([...this.buffered, chunk]);
      this.buffered = [];
      this.bufferedBytes = 0;
      await this.file.write(pending);
      return;
    }
    this.buffered.push(this.releasesChunks ? Buffer.from(chunk) : chunk);
    this.bufferedBytes += chunk.length;
  }

  /** Finishes: returns the inline bytes, or undefined when they went to `path`. */
  async close(): Promise<Buffer | undefined> {
    if (this.file) { await this.file.close(); return undefined; }
    return Buffer.concat(this.buffered);
  }

  async abort(): Promise<void> {
    await this.file?.abort();
  }
}
