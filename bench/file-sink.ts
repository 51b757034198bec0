import { open } from 'node:fs/promises';
import type { StateOutputStream } from '../packages/runtime/src/state/state-output-stream.js';

/** A snapshot sink that can be closed. */
export interface ClosableSink extends StateOutputStream {
  close(): Promise<void>;
}

/**
 * A file sink like LocalFileSystem's stream: each write is in the kernel when its
 * promise resolves (so it releases chunks); fsync on close unless `sync` is false.
 */
export async function openFileSink(path: string, sync = true): Promise<ClosableSink> {
  const file = await open(path, 'w');
  return {
    releasesChunks: true,
    async write(chunk: Buffer) {
      let offset = 0;
      while (offset < chunk.length) offset += (await file.write(chunk, offset, chunk.length - offset)).bytesWritten;
    },
    async close() {
      if (sync) await file.sync();
      await file.close();
    },
  };
}
