/**
 * An exactly-once sink writing rows to part files (Flink's `FileSink` in row
 * format, without buckets: all files go straight into the base directory).
 *
 * ```ts
 * stream.sinkTo(FileSink.forRowFormat('/data/out').build()).uid('file-sink');
 * ```
 *
 * Each subtask appends records to its in-progress file
 * `<base>/.part-<writer>-<n>.inprogress.<uuid>` (`<writer>`: a random id the
 * writer keeps across restores, like Flink's part-file uuid). A checkpoint
 * closes and fsyncs it (it becomes pending for that checkpoint, and its name is
 * part of the checkpointed state); when the checkpoint completes the pending
 * files are renamed to `<base>/part-<writer>-<n>`. A restore — at any
 * parallelism, from the latest checkpoint or an older savepoint — first commits
 * the pending files of the restored state, then deletes the part files its
 * writers wrote after that checkpoint, so the committed files hold every record
 * exactly once (given a replayable source). At the end of a bounded input the
 * last files are committed directly. Details: file-sink-writer.ts.
 *
 * Files are written with node:fs/promises: the base path is a plain path or a
 * `file://` URI on a local filesystem, or on a shared one (NFS, ...) mounted at
 * the same path on every TaskManager; renames must be atomic there. Object
 * stores (s3://) and HDFS are not supported by this sink.
 */
import type { Sink, SinkWriter, SinkWriterContext } from '@tsflink/api';
import { toLocalPath } from '../util/local-path.js';
import { SimpleStringEncoder } from './encoder.js';
import type { Encoder } from './encoder.js';
import type { FileSinkWriterState } from './file-sink-state.js';
import { DEFAULT_WRITE_BUFFER_SIZE, FileSinkWriter } from './file-sink-writer.js';

export class FileSink<T> implements Sink<T, FileSinkWriterState> {
  readonly stateful = true;

  /**
   * A builder for a sink writing `encoder.encode(record)` for each record
   * (default: `String(record)` and a newline) into part files under `basePath`.
   */
  static forRowFormat<T>(basePath: string, encoder: Encoder<T> = new SimpleStringEncoder<T>()): RowFormatBuilder<T> {
    return new RowFormatBuilder(basePath, encoder);
  }

  /** @internal Use `FileSink.forRowFormat(...).build()`. */
  constructor(
    /** The base directory as a node:fs path. */
    readonly basePath: string,
    private readonly encoder: Encoder<T>,
    private readonly writeBufferSize: number,
  ) {}

  createWriter(context: SinkWriterContext): SinkWriter<T, FileSinkWriterState> {
    return new FileSinkWriter(this.basePath, this.encoder, context, this.writeBufferSize);
  }
}

/** Configures a row-format `FileSink` (Flink's `FileSink.DefaultRowFormatBuilder`). */
export class RowFormatBuilder<T> {
  private readonly basePath: string;
  private writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;

  /** @internal Use `FileSink.forRowFormat`. */
  constructor(basePath: string, private readonly encoder: Encoder<T>) {
    this.basePath = toLocalPath(basePath);
    if (encoder === null || typeof encoder?.encode !== 'function') throw new TypeError('FileSink.forRowFormat() needs an Encoder with encode(record).');
  }

  /** How much encoded output (bytes; characters for strings) a writer buffers before writing (default 64 KiB). */
  withWriteBufferSize(bytes: number): this {
    if (!Number.isSafeInteger(bytes) || bytes < 1) throw new RangeError(`The write buffer size must be a positive integer, got ${bytes}.`);
    this.writeBufferSize = bytes;
    return this;
  }

  build(): FileSink<T> {
    return new FileSink<T>(this.basePath, this.encoder, this.writeBufferSize);
  }
}
