/**
 * Flink's `SocketTextStreamFunction`: reads text from a TCP socket and emits
 * it split at a delimiter. A legacy `SourceFunction`, non-parallel (a socket
 * is one stream), without positions: nothing is replayed after a failure, as
 * in Flink.
 *
 * `run` connects (a failing first connect fails the source), emits the records
 * of each chunk it receives and then yields to the event loop, so checkpoints,
 * timers and cancellation run between chunks. When the server closes the
 * connection it reconnects while retries are left (`maxNumRetries`: 0 = never,
 * -1 = forever, waiting `delayBetweenRetriesMs`), else emits the text after the
 * last delimiter as a final record and returns. `cancel()` closes the socket
 * and makes `run` return soon.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { SourceContext, SourceFunction } from '@tsflink/api';
import { DelimitedTextBuffer } from './delimited-text-buffer.js';

/** Flink's default pause between reconnection attempts. */
export const DEFAULT_CONNECTION_RETRY_SLEEP_MS = 500;

/** Resolves on the next turn of the event loop (after pending I/O and timers). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class SocketTextStreamFunction implements SourceFunction<string> {
  private running = true;
  private socket: Socket | undefined;
  private wakeRetry: (() => void) | undefined;

  /**
   * @param maxNumRetries how often to reconnect after the server closed the
   *   connection: 0 never (the default), -1 forever.
   */
  constructor(
    readonly hostname: string,
    readonly port: number,
    readonly delimiter = '\n',
    readonly maxNumRetries = 0,
    readonly delayBetweenRetriesMs = DEFAULT_CONNECTION_RETRY_SLEEP_MS,
  ) {
    if (typeof hostname !== 'string' || hostname.length === 0) throw new Error('socketTextStream needs a host name.');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Port is out of range: ${port}`);
    if (typeof delimiter !== 'string' || delimiter.length === 0) throw new Error('The delimiter must be a non-empty string.');
    if (!Number.isInteger(maxNumRetries) || maxNumRetries < -1) throw new RangeError(`maxNumRetries must be -1 (forever) or ≥ 0, got ${maxNumRetries}.`);
    if (!(delayBetweenRetriesMs >= 0)) throw new RangeError(`delayBetweenRetries must be ≥ 0, got ${delayBetweenRetriesMs}.`);
  }

  async run(ctx: SourceContext<string>): Promise<void> {
    const buffer = new DelimitedTextBuffer(this.delimiter);
    let attempt = 0;
    while (this.running) {
      const socket = await this.connect();
      if (socket === undefined) break; // cancelled while connecting
      await this.readUntilClosed(socket, buffer, ctx);
      if (!this.running) break;
      attempt++;
      if (this.maxNumRetries !== -1 && attempt > this.maxNumRetries) break;
      await this.sleepBeforeRetry();
    }
    if (this.running) {
      const rest = buffer.takeRemainder();
      if (rest.length > 0) ctx.collect(rest);
    }
  }

  cancel(): void {
    this.running = false;
    this.socket?.destroy();
    this.wakeRetry?.();
  }

  /** Connects; resolves undefined when cancelled meanwhile, rejects when the connection fails. */
  private connect(): Promise<Socket | undefined> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.hostname, port: this.port });
      this.socket = socket;
      const onError = (error: Error) => {
        cleanup();
        socket.destroy();
        reject(new Error(`Cannot connect to socket ${this.hostname}:${this.port}: ${error.message}`, { cause: error }));
      };
      const onClose = () => { cleanup(); resolve(undefined); };
      const onConnect = () => { cleanup(); resolve(socket); };
      const cleanup = () => {
        socket.off('error', onError).off('close', onClose).off('connect', onConnect);
      };
      socket.once('error', onError).once('close', onClose).once('connect', onConnect);
    });
  }

  private async readUntilClosed(socket: Socket, buffer: DelimitedTextBuffer, ctx: SourceContext<string>): Promise<void> {
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of socket as AsyncIterable<Buffer>) {
        if (!this.running) break;
        buffer.append(decoder.write(chunk));
        for (let record = buffer.next(); record !== undefined; record = buffer.next()) ctx.collect(record);
        // The socket is not read while downstream is back-pressured: TCP then slows the sender.
        await ctx.whenAvailable();
        await yieldToEventLoop();
      }
      buffer.append(decoder.end());
    } catch (error) {
      if (this.running) throw error; // a read error; after cancel() the destroyed socket's error is expected
    } finally {
      socket.destroy();
      if (this.socket === socket) this.socket = undefined;
    }
  }

  private sleepBeforeRetry(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.delayBetweenRetriesMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeRetry = undefined;
        resolve();
      }
      this.wakeRetry = done;
    });
  }
}
