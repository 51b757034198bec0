import type { FileSystem, FsOutputStream } from '@tsflink/fs';
import type { StateOutputStream } from '@tsflink/runtime';

/**
 * The stream a task writes one checkpoint's state into. Bytes stay in memory
 * until they pass `inlineThreshold` (Flink inlines state below 20 KB into the
 * metadata); only then is the task's state file created, so small state costs
 * no file at all. With no file system (JobManager-memory checkpoints) everything
 * stays inline.
 */
export class ThresholdStateOutput implements StateOutputStream {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private file?: FsOutputStream;
  position = 0;

  constructor(
    private readonly fs: FileSystem | undefined,
    readonly path: string,
    private readonly inlineThreshold: number,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.position += chunk.length;
    if (this.file) { await this.file.write(chunk); return; }
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.fs && this.bufferedBytes > this.inlineThreshold) {
      this.file = await this.fs.create(this.path);
      const pending = Buffer.concat(this.buffered);
      this.buffered = [];
      await this.file.write(pending);
    }
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
