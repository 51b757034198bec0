/**
 * Flink's `PrintSink` for `sinkTo`: writes `String(value)` lines to standard
 * output (or standard error), prefixed as Flink does (see print-prefix.ts).
 * The target stream can be injected; when it signals back-pressure (`write`
 * returns false) the writer waits for 'drain' before the next record.
 * Stateless: nothing to restore.
 */
import type { Sink, SinkWriter, SinkWriterContext } from '@tsflink/api';
import { printPrefix } from './print-prefix.js';

/** Where printed lines go: `process.stdout`, `process.stderr` or any writable stream. */
export interface PrintTarget {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

export class PrintSink<T> implements Sink<T> {
  readonly stateful = false;
  readonly sinkIdentifier: string | undefined;
  readonly stdErr: boolean;

  /**
   * `new PrintSink()`, `new PrintSink(true)` (to stderr), `new PrintSink('id')`,
   * `new PrintSink('id', true)`, as in Flink.
   * @param target overrides the stream written to (tests; default process.stdout/stderr).
   */
  constructor(sinkIdentifierOrStdErr?: string | boolean, stdErr = false, private readonly target?: PrintTarget) {
    if (typeof sinkIdentifierOrStdErr === 'boolean') {
      this.sinkIdentifier = undefined;
      this.stdErr = sinkIdentifierOrStdErr;
    } else {
      this.sinkIdentifier = sinkIdentifierOrStdErr === '' ? undefined : sinkIdentifierOrStdErr;
      this.stdErr = stdErr;
    }
  }

  createWriter(context: SinkWriterContext): SinkWriter<T> {
    const target = this.target ?? (this.stdErr ? process.stderr : process.stdout);
    return new PrintSinkWriter<T>(target, printPrefix(this.sinkIdentifier, context.subtaskIndex, context.parallelism));
  }
}

/** Writes one line per record; returns a promise only while the target is full. */
export class PrintSinkWriter<T> implements SinkWriter<T> {
  constructor(private readonly target: PrintTarget, private readonly prefix: string) {}

  write(value: T): void | Promise<void> {
    if (this.target.write(`${this.prefix}${String(value)}\n`)) return;
    const once = this.target.once;
    if (once === undefined) return;
    return new Promise((resolve) => { once.call(this.target, 'drain', resolve); });
  }
}
