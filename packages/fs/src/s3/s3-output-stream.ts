/** FsOutputStream over an S3 upload: nothing is visible under the key until close() completes the upload. */
import type { FsOutputStream } from '../file-system.js';
import type { S3MultipartUpload } from './s3-object-store.js';

export class S3OutputStream implements FsOutputStream {
  private written = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(private readonly upload: S3MultipartUpload) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.state !== 'open') throw new Error(`Cannot write to a ${this.state} stream`);
    await this.upload.write(chunk);
    this.written += chunk.length;
  }

  /** Completes the upload (the object appears whole) and returns the bytes written. */
  async close(): Promise<number> {
    if (this.state === 'closed') return this.written;
    if (this.state === 'aborted') throw new Error('Cannot close an aborted stream');
    await this.upload.complete();
    this.state = 'closed';
    return this.written;
  }

  /** Aborts the upload: the parts sent so far are discarded, the key is untouched. */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.upload.abort();
  }
}
