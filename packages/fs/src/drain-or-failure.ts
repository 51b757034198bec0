import type { Writable } from 'node:stream';

/**
 * Back-pressure for a streamed upload: the body of an HTTP request (S3 part,
 * WebHDFS datanode PUT) is written chunk by chunk, and a write waits for the
 * body's 'drain'. If the upload fails meanwhile, 'drain' never comes: {@link fail}
 * rejects the waiting write with that error instead.
 */
export class DrainOrFailure {
  private rejectWaiting: ((error: unknown) => void) | undefined;

  /** Writes `chunk`; resolves at once, or after 'drain', or rejects with the upload's failure. */
  async write(body: Writable, chunk: Buffer): Promise<void> {
    if (body.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.rejectWaiting = undefined;
        resolve();
      };
      body.once('drain', onDrain);
      this.rejectWaiting = (error) => {
        body.off('drain', onDrain);
        this.rejectWaiting = undefined;
        reject(error);
      };
    });
  }

  /** The upload failed: a write waiting for 'drain' rejects with `error`. */
  fail(error: unknown): void {
    this.rejectWaiting?.(error);
  }
}
