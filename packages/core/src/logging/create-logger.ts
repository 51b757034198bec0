/**
 * Daemon logging on pino: JSON lines to a log file (asynchronous writes), and in
 * the foreground also to stdout (pretty on a terminal, JSON otherwise).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import type { DestinationStream, Level, LevelWithSilent, Logger, StreamEntry } from 'pino';
import pinoPretty from 'pino-pretty';
import { currentHostname, currentUser, logFileName } from './log-file-name.js';

export type { Logger } from 'pino';

/** A stream to write foreground output to (normally `process.stdout`); pretty output when it is a TTY. */
export type ConsoleStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

/** How a daemon logs. */
export interface CreateLoggerOptions {
  /** Daemon role as Flink names it (`standalonesession`, `taskexecutor`, `client`, ...); bound to every line. */
  role: string;
  /** Exact log file path; overrides {@link logDir}. */
  logFile?: string;
  /** Directory of the log file, named `flink-<user>-<role>-<instance>-<host>.log`; created if missing. */
  logDir?: string;
  /** Index of this daemon among same-role daemons on the host; default 0. */
  instance?: number;
  /** Also write to stdout (daemons started with `start-foreground`). */
  foreground?: boolean;
  /** Lowest level written; default `info`. */
  level?: LevelWithSilent;
  /** Extra fields bound to every line, e.g. `{ resourceId }`. */
  bindings?: Record<string, unknown>;
  /** Where foreground output goes; default `process.stdout`. */
  stdout?: ConsoleStream;
}

/** A logger with the means to get its output onto disk before the process exits. */
export interface DaemonLogger {
  logger: Logger;
  /** The log file written, or undefined when logging only to stdout. */
  file: string | undefined;
  /**
   * Writes every buffered line synchronously; safe in an exit handler or a forced
   * exit. A write already handed to the thread pool is left to finish on its own,
   * so a graceful shutdown should prefer {@link close}.
   */
  flush(): void;
  /**
   * Writes everything, waits for writes in flight and closes the log file; for the
   * end of a graceful shutdown. The logger must not be used afterwards.
   */
  close(): Promise<void>;
}

/** The asynchronous file destination (a SonicBoom). */
type FileDestination = ReturnType<typeof pino.destination>;

/**
 * Creates a daemon logger. Lines are JSON with `time` (ISO 8601), `level` (a
 * label), `role`, `pid`, `hostname`, the extra bindings and `msg`. Logs go to the
 * file named by `logFile` or `logDir`; to stdout when `foreground` is set or no
 * file is named.
 */
export function createLogger(options: CreateLoggerOptions): DaemonLogger {
  const level = options.level ?? 'info';
  const hostname = currentHostname();
  const file = resolveLogFile(options, hostname);
  const streams: StreamEntry<Level>[] = [];

  let fileDestination: FileDestination | undefined;
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(file, 'a');
    try {
      // The file is opened here, not by the destination, so it is ready (and flushSync works) from the first line.
      fileDestination = pino.destination({ fd, sync: false });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    streams.push({ level: 'trace', stream: fileDestination });
  }
  if (options.foreground === true || file === undefined) {
    streams.push({ level: 'trace', stream: consoleDestination(options.stdout) });
  }

  const logger = pino(
    {
      level,
      base: { role: options.role, pid: process.pid, hostname, ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );

  const flush = (): void => {
    try {
      fileDestination?.flushSync();
    } catch {
      // Nothing more can be done for a log that cannot be written while shutting down.
    }
  };
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    const destination = fileDestination;
    if (destination === undefined) return Promise.resolve();
    closing ??= new Promise<void>((resolve) => {
      destination.once('close', () => resolve());
      destination.once('error', () => resolve());
      destination.end();
    });
    return closing;
  };
  return { logger, file, flush, close };
}

/** A logger that writes nothing; for tests and for code paths that need one but have none. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

function resolveLogFile(options: CreateLoggerOptions, hostname: string): string | undefined {
  if (options.logFile !== undefined) return options.logFile;
  if (options.logDir === undefined) return undefined;
  const name = logFileName({ role: options.role, instance: options.instance ?? 0, user: currentUser(), hostname });
  return join(options.logDir, name);
}

/** Pretty, in-process (no worker thread), when writing to a terminal; JSON lines otherwise. Writes are synchronous. */
function consoleDestination(stdout: ConsoleStream | undefined): DestinationStream {
  const target = stdout ?? process.stdout;
  if (target.isTTY === true) {
    return pinoPretty({
      colorize: true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,role',
      ...(stdout === undefined ? {} : { destination: stdout }),
    });
  }
  return stdout ?? pino.destination({ fd: 1, sync: true });
}
