/**
 * `@tsflink/connectors`: the built-in sources and sinks.
 *
 * - `DataGeneratorSource` + `RateLimiterStrategy`, and the API's `NumberSequenceSource`;
 * - `FileSource` (text lines via `TextLineInputFormat`, optional directory monitoring);
 * - `SocketTextStreamFunction` (`socketTextStream`);
 * - `PrintSink` and the exactly-once `FileSink`.
 *
 * Importing this package registers the factories behind `env.readTextFile`
 * and `env.socketTextStream` with `@tsflink/api`.
 */
import { registerBuiltinSources } from '@tsflink/api';
import { readTextFile, socketTextStream } from './builtin-source-factories.js';

registerBuiltinSources({ readTextFile, socketTextStream });

export { readTextFile, socketTextStream } from './builtin-source-factories.js';
export {
  UnsupportedPathSchemeError, UnsupportedCharsetError, FileSourcePathNotFoundError, FileSinkCommitError, FileSinkStateError,
} from './connector-errors.js';
export type { ConnectorTime } from './util/connector-time.js';
export { MonotonicClock } from './util/monotonic-clock.js';

// Generators and sequences
export { NumberSequenceSource } from '@tsflink/api';
export { DataGeneratorSource } from './datagen/data-generator-source.js';
export type { GeneratorFunction } from './datagen/data-generator-source.js';
export { DataGeneratorReader, DATA_GENERATOR_BATCH_SIZE } from './datagen/data-generator-reader.js';
export { RateLimiterStrategy } from './datagen/rate-limiter-strategy.js';
export type { RateLimiter } from './datagen/rate-limiter.js';
export { TokenBucketRateLimiter } from './datagen/token-bucket-rate-limiter.js';
export { NoOpRateLimiter } from './datagen/no-op-rate-limiter.js';
export { splitIndexRange } from './datagen/split-index-range.js';

// Files in
export { FileSource, FileSourceBuilder, DEFAULT_FETCH_SIZE } from './file/file-source.js';
export type { FileSourceSplit, FileSplit, FileDiscoverySplit } from './file/file-source-split.js';
export { FileSourceReader, FILE_SOURCE_RECORDS_PER_POLL } from './file/file-source-reader.js';
export type { StreamFormat, RecordDecoder } from './file/stream-format.js';
export { TextLineInputFormat } from './file/text-line-input-format.js';
export { TextLineDecoder } from './file/text-line-decoder.js';

// Sockets
export { SocketTextStreamFunction, DEFAULT_CONNECTION_RETRY_SLEEP_MS } from './socket/socket-text-stream-function.js';

// Sinks
export { PrintSink, PrintSinkWriter } from './print/print-sink.js';
export type { PrintTarget } from './print/print-sink.js';
export { printPrefix } from './print/print-prefix.js';
export { FileSink, RowFormatBuilder } from './file-sink/file-sink.js';
export { FileSinkWriter, DEFAULT_WRITE_BUFFER_SIZE } from './file-sink/file-sink-writer.js';
export type { Encoder } from './file-sink/encoder.js';
export { SimpleStringEncoder } from './file-sink/encoder.js';
export type { FileSinkWriterState, PendingPartFile } from './file-sink/file-sink-state.js';
