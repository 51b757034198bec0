/**
 * Flink's `FileSource` for record formats: the records of the files under one
 * or more paths, read in parallel.
 *
 * ```ts
 * const lines = FileSource.forRecordStreamFormat(new TextLineInputFormat(), '/data/in').build();
 * const live = FileSource.forRecordStreamFormat(new TextLineInputFormat(), '/data/incoming')
 *   .monitorContinuously(10_000).build();
 * const simple = FileSource.lines('/data/in.txt'); // bounded UTF-8 lines, built
 * env.fromSource(lines, WatermarkStrategy.noWatermarks(), 'file-source');
 * ```
 *
 * A path may be a file or a directory (all files below it, sorted; names
 * starting with "." or "_" are skipped). Files are the splits; a split's
 * position is the byte offset of its next record, so a restore resumes
 * exactly. `monitorContinuously(interval)` makes the source unbounded: it
 * re-lists the paths every interval and reads the new files; the files already
 * taken are part of the checkpointed state, so none is read twice after a
 * restore. Paths are plain paths or `file://` URIs on a local or shared
 * (mounted) filesystem, read with node:fs; other schemes are refused.
 */
import { Boundedness } from '@tsflink/api';
import type { Source, SourceReader, SourceReaderContext } from '@tsflink/api';
import type { ConnectorTime } from '../util/connector-time.js';
import { toLocalPath } from '../util/local-path.js';
import { FileSourceReader } from './file-source-reader.js';
import { discoverySplitId } from './file-source-split.js';
import type { FileSourceSplit } from './file-source-split.js';
import type { StreamFormat } from './stream-format.js';
import { TextLineInputFormat } from './text-line-input-format.js';

/** Default bytes per read (Flink's `source.file.stream.io-fetch-size` is the analogous setting). */
export const DEFAULT_FETCH_SIZE = 64 * 1024;

interface FileSourceSettings<T> {
  readonly format: StreamFormat<T>;
  readonly paths: readonly string[];
  readonly monitorIntervalMs: number | undefined;
  readonly fetchSize: number;
  readonly time: ConnectorTime | undefined;
}

export class FileSource<T> implements Source<T, FileSourceSplit> {
  /** A builder for a source decoding each file with `format` (e.g. `new TextLineInputFormat()`). */
  static forRecordStreamFormat<T>(format: StreamFormat<T>, ...paths: string[]): FileSourceBuilder<T> {
    return new FileSourceBuilder(format, paths);
  }

  /** The UTF-8 lines of the files under `paths`, bounded (use the builder to monitor a directory). */
  static lines(...paths: string[]): FileSource<string> {
    return new FileSourceBuilder(new TextLineInputFormat(), paths).build();
  }

  /** @internal Use `FileSource.forRecordStreamFormat(...).build()`. */
  constructor(private readonly settings: FileSourceSettings<T>) {}

  /** The configured paths (node:fs form). */
  get paths(): readonly string[] {
    return this.settings.paths;
  }

  /** The discovery interval, or undefined for a bounded source. */
  get monitorIntervalMs(): number | undefined {
    return this.settings.monitorIntervalMs;
  }

  getBoundedness(): Boundedness {
    return this.settings.monitorIntervalMs === undefined ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  /**
   * One discovery split per subtask, without I/O: each reader lists the paths
   * itself and takes its share of the files (see file-source-split.ts).
   */
  createSplits(parallelism: number): FileSourceSplit[] {
    if (!Number.isSafeInteger(parallelism) || parallelism < 1) throw new RangeError(`The parallelism must be a positive integer, got ${parallelism}.`);
    return Array.from({ length: parallelism }, (_, shard) => ({
      kind: 'discovery' as const, splitId: discoverySplitId(shard, parallelism), shard, shardCount: parallelism, assigned: [],
    }));
  }

  createReader(_context: SourceReaderContext): SourceReader<T, FileSourceSplit> {
    return new FileSourceReader<T>(this.settings);
  }
}

/** Configures a `FileSource` (Flink's `FileSource.FileSourceBuilder`). */
export class FileSourceBuilder<T> {
  private monitorIntervalMs: number | undefined;
  private fetchSize = DEFAULT_FETCH_SIZE;
  private time: ConnectorTime | undefined;
  private readonly paths: string[];

  /** @internal Use `FileSource.forRecordStreamFormat` or `FileSource.lines`. */
  constructor(private readonly format: StreamFormat<T>, paths: readonly string[]) {
    if (format === null || typeof format?.createDecoder !== 'function') {
      throw new TypeError('A FileSource needs a StreamFormat, e.g. new TextLineInputFormat().');
    }
    if (paths.length === 0) throw new Error('A FileSource needs at least one input path.');
    this.paths = paths.map(toLocalPath);
  }

  /** Keeps watching the paths, listing them every `intervalMs` for new files: the source becomes unbounded. */
  monitorContinuously(intervalMs: number): this {
    if (!Number.isFinite(intervalMs) || intervalMs < 1) throw new RangeError(`The discovery interval must be at least 1 ms, got ${intervalMs}.`);
    this.monitorIntervalMs = intervalMs;
    return this;
  }

  /** Reads the files present at start and ends (the default). */
  processStaticFileSet(): this {
    this.monitorIntervalMs = undefined;
    return this;
  }

  /** Bytes per read (default 64 KiB). */
  setFetchSize(bytes: number): this {
    if (!Number.isSafeInteger(bytes) || bytes < 1) throw new RangeError(`The fetch size must be a positive integer, got ${bytes}.`);
    this.fetchSize = bytes;
    return this;
  }

  /** The clock and timers monitoring uses (tests pass a ManualTimerService); defaults to the system's. */
  withTime(time: ConnectorTime): this {
    this.time = time;
    return this;
  }

  build(): FileSource<T> {
    return new FileSource<T>({
      format: this.format, paths: [...this.paths], monitorIntervalMs: this.monitorIntervalMs, fetchSize: this.fetchSize, time: this.time,
    });
  }
}
