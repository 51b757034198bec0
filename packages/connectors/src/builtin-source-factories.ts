/**
 * The factories behind `env.readTextFile` and `env.socketTextStream`, which
 * the API looks up once this package is imported (see index.ts).
 */
import { FileSource } from './file/file-source.js';
import { TextLineInputFormat } from './file/text-line-input-format.js';
import { SocketTextStreamFunction } from './socket/socket-text-stream-function.js';

/** The lines of the file (or of the files under the directory) at `path`, bounded: a `FileSource`. */
export function readTextFile(path: string, charsetName = 'UTF-8'): FileSource<string> {
  return FileSource.forRecordStreamFormat(new TextLineInputFormat(charsetName), path).build();
}

/**
 * Text from `hostname:port`, split at `delimiter`; `maxRetry` reconnections
 * after the server closes the connection (0 none, -1 forever).
 */
export function socketTextStream(hostname: string, port: number, delimiter = '\n', maxRetry = 0): SocketTextStreamFunction {
  return new SocketTextStreamFunction(hostname, port, delimiter, maxRetry);
}
