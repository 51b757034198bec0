import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { LevelWithSilent } from 'pino';
import { loadConfiguration } from './config/load-configuration.js';
import type { Configuration } from './config/configuration.js';
import { LogOptions } from './config/options/log-options.js';
import { ConfigurationError } from './errors.js';
import { createLogger, type Logger } from './logging/create-logger.js';
import { SystemClock, type Clock } from './time/clock.js';
import { SystemTimerService, type TimerService } from './time/timer-service.js';
import { installShutdownHandler } from './shutdown.js';

/** What a daemon's `start` receives. */
export interface DaemonContext {
  config: Configuration;
  logger: Logger;
  clock: Clock;
  timers: TimerService;
}

export interface DaemonOptions {
  /** Flink's process role name, used in log file names: 'standalonesession' or 'taskexecutor'. */
  role: string;
  argv: string[];
  /** Starts the daemon; the returned `stop` runs once on SIGTERM/SIGINT. */
  start: (ctx: DaemonContext) => Promise<{ stop: () => Promise<void> }>;
}

/**
 * The shared entry of the JobManager and TaskManager processes: parses
 * `--configDir`, `-D key=value` and `--foreground`, loads the configuration
 * (one message naming every bad key and value, exit 1), sets up logging to
 * `$FLINK_LOG_DIR` (or `log/`), starts the daemon, and stops it on SIGTERM.
 */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: options.argv,
      options: {
        configDir: { type: 'string' },
        D: { type: 'string', short: 'D', multiple: true },
        foreground: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nUsage: [--configDir <dir>] [-D key=value ...] [--foreground]\n`);
    process.exit(1);
  }
  const env = process.env;
  let loaded;
  try {
    loaded = loadConfiguration({ confDir: parsed.values.configDir ?? env.FLINK_CONF_DIR, env, dynamicProperties: parsed.values.D ?? [] });
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigurationError ? e.message : (e as Error).stack}\n`);
    process.exit(1);
  }
  const { config, warnings, notes } = loaded;
  const logDir = env.FLINK_LOG_DIR ?? config.getOptional(LogOptions.LOG_DIR) ?? join(process.cwd(), 'log');
  const { logger, flush, close, file } = createLogger({
    role: options.role,
    logDir,
    logFile: env.FLINK_LOG_FILE,
    foreground: !!parsed.values.foreground,
    level: logLevel(env.FLINK_LOG_LEVEL),
  });
  for (const w of warnings) {
    logger.warn(w);
    if (!parsed.values.foreground) process.stderr.write(`Warning: ${w}\n`);
  }
  for (const n of notes) logger.info(n);
  logger.info({ confDir: loaded.confDir, configFile: loaded.file, logFile: file, node: process.version }, `Starting ${options.role} (pid ${process.pid}).`);

  process.on('uncaughtException', (e) => {
    logger.fatal({ err: e }, `Uncaught error, the process exits: ${e.message}`);
    flush();
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    logger.error({ err: e }, `Unhandled promise rejection: ${(e as Error)?.message ?? String(e)}`);
  });

  const ctx: DaemonContext = { config, logger, clock: new SystemClock(), timers: new SystemTimerService() };
  let daemon: { stop: () => Promise<void> };
  try {
    daemon = await options.start(ctx);
  } catch (e) {
    logger.fatal({ err: e }, `Could not start the ${options.role}: ${(e as Error).message}`);
    process.stderr.write(`Could not start the ${options.role}: ${(e as Error).message}\n`);
    flush();
    process.exit(1);
  }
  logger.info({ ready: true }, `The ${options.role} is ready.`);
  const shutdown = installShutdownHandler({
    logger,
    timeoutMs: 10_000,
    flush,
    closeLogs: close,
    onShutdown: () => daemon.stop(),
  });
  exitWithParent(env.TSFLINK_EXIT_WITH_PARENT, () => shutdown.shutdown('parent process exited'));
}

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The level named by FLINK_LOG_LEVEL, if it names one. */
function logLevel(value: string | undefined): LevelWithSilent | undefined {
  return value !== undefined && LOG_LEVELS.includes(value) ? (value as LevelWithSilent) : undefined;
}

/**
 * Test harnesses set TSFLINK_EXIT_WITH_PARENT=<pid> so a daemon never outlives
 * the process that started it, even when that one was SIGKILLed.
 */
function exitWithParent(parentPid: string | undefined, stop: () => void): void {
  const pid = Number(parentPid);
  if (!parentPid || !Number.isInteger(pid) || pid <= 0) return;
  const timer = setInterval(() => {
    try { process.kill(pid, 0); } catch { clearInterval(timer); stop(); }
  }, 500);
  timer.unref();
}
