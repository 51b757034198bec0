/**
 * The shutdown path of a daemon: on SIGTERM or SIGINT, stop gracefully once; a
 * second signal or a deadline forces the exit.
 */
import type { Logger } from 'pino';
import { SystemTimerService } from './time/timer-service.js';
import type { Cancellable, TimerService } from './time/timer-service.js';

/** Something that emits process signals (normally `process`). */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** What to do on shutdown, and the means to exit. */
export interface ShutdownHandlerOptions {
  logger: Logger;
  /**
   * Stops the daemon: stop accepting work, finish or cancel tasks, close sockets.
   * Called at most once, with the signal name (or the reason given to `shutdown`).
   */
  onShutdown: (reason: string) => Promise<void>;
  /** Time `onShutdown` may take before the process is forced to exit with code 1. */
  timeoutMs: number;
  /** Ends the process; default `process.exit`. */
  exit?: (code: number) => void;
  /** Writes buffered log lines synchronously before exiting (e.g. `DaemonLogger.flush`); default `logger.flush()`. */
  flush?: () => void;
  /**
   * Closes the log files after a graceful shutdown, waiting for writes in flight
   * (e.g. `DaemonLogger.close`); skipped when the exit is forced.
   */
  closeLogs?: () => Promise<void>;
  /** Signals that start the shutdown; default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Where signals come from; default `process`. */
  signalSource?: SignalSource;
  /** Timers for the deadline; default the system timers. */
  timers?: TimerService;
}

/** An installed shutdown handler. */
export interface ShutdownHandler {
  /** Starts the shutdown as a signal would (e.g. when the parent process is gone); `reason` is logged. */
  shutdown(reason: string): void;
  /** Removes the signal listeners (the process then reacts to signals as by default). */
  uninstall(): void;
}

/**
 * Installs the shutdown handler. On the first signal (or `shutdown` call) it runs
 * `onShutdown`, then closes and flushes the logs and exits with 0 (1 when
 * `onShutdown` fails). A second signal, or the shutdown still running after
 * `timeoutMs`, flushes and exits with 1.
 */
export function installShutdownHandler(options: ShutdownHandlerOptions): ShutdownHandler {
  const { logger, onShutdown, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const flush = options.flush ?? (() => logger.flush());
  const signals = options.signals ?? (['SIGTERM', 'SIGINT'] as const);
  const source: SignalSource = options.signalSource ?? process;
  const timers = options.timers ?? new SystemTimerService();

  let shuttingDown = false;
  let exited = false;
  let deadline: Cancellable | undefined;

  const uninstall = (): void => {
    for (const signal of signals) source.off(signal, onSignal);
  };

  const finish = (code: number): void => {
    if (exited) return;
    exited = true;
    deadline?.cancel();
    uninstall();
    flush();
    exit(code);
  };

  const begin = (reason: string): void => {
    if (shuttingDown) {
      logger.warn({ reason }, `Shutdown requested again (${reason}); exiting now.`);
      finish(1);
      return;
    }
    shuttingDown = true;
    logger.info({ reason }, `Shutting down (${reason}).`);
    deadline = timers.setTimeout(() => {
      logger.error({ timeoutMs }, `Shutdown did not complete within ${timeoutMs} ms; exiting now.`);
      finish(1);
    }, timeoutMs);
    void runGracefully(reason).then(finish);
  };

  /** Runs `onShutdown` and closes the logs; resolves to the exit code. */
  const runGracefully = async (reason: string): Promise<number> => {
    let code = 0;
    try {
      await onShutdown(reason);
      logger.info('Shutdown complete.');
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed.');
      code = 1;
    }
    try {
      await options.closeLogs?.();
    } catch {
      // The logs cannot be written; exiting is all that is left.
    }
    return code;
  };

  function onSignal(signal: NodeJS.Signals): void {
    begin(signal);
  }

  for (const signal of signals) source.on(signal, onSignal);
  return { shutdown: begin, uninstall };
}
