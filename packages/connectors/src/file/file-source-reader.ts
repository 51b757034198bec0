/**
 * Reads the splits of a `FileSource` (see file-source-split.ts).
 *
 * Each poll first runs file discovery when it is due (once for a bounded
 * source; every monitoring interval for a continuous one), then emits up to
 * `FILE_SOURCE_RECORDS_PER_POLL` records from the files in order, reading each
 * file with async I/O in chunks of `fetchSize` bytes. Nothing blocks the event
 * loop: file contents are never read synchronously. A file's position is the
 * byte offset of its next record, so a snapshot taken between two polls
 * resumes exactly there.
 *
 * Files are read once, to their end at that time: in a monitored directory,
 * move finished files in atomically (write elsewhere or under a "." / "_"
 * name, then rename), as with Flink's FileSource.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { InputStatus } from '@tsflink/api';
import type { ReaderOutput, SourceReader } from '@tsflink/api';
import type { Cancellable } from '@tsflink/core';
import { FileSourcePathNotFoundError } from '../connector-errors.js';
import type { ConnectorTime } from '../util/connector-time.js';
import { systemConnectorTime } from '../util/connector-time.js';
import { fileShard } from './file-shard.js';
import { discoverySplitId, fileSplitId } from './file-source-split.js';
import type { FileSourceSplit } from './file-source-split.js';
import { listFiles } from './list-files.js';
import type { RecordDecoder, StreamFormat } from './stream-format.js';

/** How many records one `pollNext` emits at most. */
export const FILE_SOURCE_RECORDS_PER_POLL = 1000;

export interface FileSourceReaderSettings<T> {
  readonly format: StreamFormat<T>;
  /** The configured input paths (node:fs paths), in order. */
  readonly paths: readonly string[];
  /** Discovery interval when monitoring continuously; undefined for a bounded source. */
  readonly monitorIntervalMs: number | undefined;
  /** Bytes per read. */
  readonly fetchSize: number;
  /** Clock and timers for monitoring; defaults to the system's. */
  readonly time?: ConnectorTime | undefined;
}

interface ReaderFile<T> {
  readonly path: string;
  readonly startOffset: number;
  readonly decoder: RecordDecoder<T>;
  readOffset: number;
  handle: FileHandle | undefined;
  eof: boolean;
}

interface Discovery {
  readonly shard: number;
  readonly shardCount: number;
  readonly assigned: Set<string>;
}

const AVAILABLE: Promise<void> = Promise.resolve();

export class FileSourceReader<T> implements SourceReader<T, FileSourceSplit> {
  private readonly files: ReaderFile<T>[] = [];
  private readonly discoveries: Discovery[] = [];
  private nextDiscoveryAt = Number.NEGATIVE_INFINITY;
  private waiting: { promise: Promise<void>; resolve: () => void; timer: Cancellable } | undefined;
  private timeSource: ConnectorTime | undefined;

  constructor(private readonly settings: FileSourceReaderSettings<T>) {}

  addSplits(splits: FileSourceSplit[]): void {
    for (const split of splits) {
      if (split.kind === 'file') {
        this.files.push(this.newFile(split.path, split.offset));
      } else {
        this.discoveries.push({ shard: split.shard, shardCount: split.shardCount, assigned: new Set(split.assigned) });
      }
    }
  }

  async pollNext(output: ReaderOutput<T>): Promise<InputStatus> {
    if (this.discoveries.length > 0 && this.discoveryDue()) await this.discover();
    let emitted = 0;
    while (emitted < FILE_SOURCE_RECORDS_PER_POLL && this.files.length > 0) {
      const file = this.files[0]!;
      const record = file.decoder.next();
      if (record !== undefined) {
        output.collect(record);
        emitted++;
      } else if (file.eof) {
        await this.closeFile(file);
        this.files.shift();
      } else if (emitted > 0) {
        break; // read on in the next poll: a poll emits what is buffered or does I/O first, keeping polls short
      } else {
        await this.readChunk(file);
      }
    }
    if (this.files.length > 0) return InputStatus.MORE_AVAILABLE;
    if (this.discoveries.length === 0) return InputStatus.END_OF_INPUT;
    return InputStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    if (this.files.length > 0 || this.discoveries.length === 0 || this.settings.monitorIntervalMs === undefined) return AVAILABLE;
    if (this.waiting !== undefined) return this.waiting.promise;
    const delay = this.nextDiscoveryAt - this.time().clock.now();
    if (delay <= 0) return AVAILABLE;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    const timer = this.time().timers.setTimeout(() => this.wake(), Math.ceil(delay));
    this.waiting = { promise, resolve, timer };
    return promise;
  }

  snapshotState(_checkpointId: number): FileSourceSplit[] {
    const splits: FileSourceSplit[] = this.files.map((f) => ({
      kind: 'file', splitId: fileSplitId(f.path), path: f.path, offset: f.startOffset + f.decoder.consumedBytes,
    }));
    for (const d of this.discoveries) {
      splits.push({
        kind: 'discovery', splitId: discoverySplitId(d.shard, d.shardCount), shard: d.shard, shardCount: d.shardCount,
        assigned: [...d.assigned].sort(),
      });
    }
    return splits;
  }

  async close(): Promise<void> {
    if (this.waiting !== undefined) {
      this.waiting.timer.cancel();
      this.wake();
    }
    await Promise.all(this.files.map((f) => this.closeFile(f)));
  }

  private newFile(path: string, offset: number): ReaderFile<T> {
    return { path, startOffset: offset, readOffset: offset, decoder: this.settings.format.createDecoder(), handle: undefined, eof: false };
  }

  private time(): ConnectorTime {
    this.timeSource ??= this.settings.time ?? systemConnectorTime();
    return this.timeSource;
  }

  private discoveryDue(): boolean {
    return this.settings.monitorIntervalMs === undefined || this.time().clock.now() >= this.nextDiscoveryAt;
  }

  /** Lists the input paths and turns this reader's share of the files not seen before into file splits. */
  private async discover(): Promise<void> {
    const found: string[] = [];
    for (const root of this.settings.paths) for (const path of await listFiles(root)) found.push(path);
    for (const path of found) {
      for (const d of this.discoveries) {
        if (fileShard(path, d.shardCount) !== d.shard || d.assigned.has(path)) continue;
        d.assigned.add(path);
        this.files.push(this.newFile(path, 0));
      }
    }
    if (this.settings.monitorIntervalMs === undefined) {
      this.discoveries.length = 0; // bounded: the file splits now carry all remaining work
    } else {
      this.nextDiscoveryAt = this.time().clock.now() + this.settings.monitorIntervalMs;
    }
  }

  private async readChunk(file: ReaderFile<T>): Promise<void> {
    if (file.handle === undefined) {
      try {
        file.handle = await open(file.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileSourcePathNotFoundError(file.path);
        throw error;
      }
    }
    const chunk = Buffer.allocUnsafe(this.settings.fetchSize);
    const { bytesRead } = await file.handle.read(chunk, 0, chunk.length, file.readOffset);
    if (bytesRead === 0) {
      file.eof = true;
      file.decoder.endOfInput();
      await this.closeFile(file);
    } else {
      file.readOffset += bytesRead;
      file.decoder.append(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    }
  }

  private async closeFile(file: ReaderFile<T>): Promise<void> {
    const handle = file.handle;
    file.handle = undefined;
    if (handle !== undefined) await handle.close();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve();
  }
}
