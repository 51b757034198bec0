/** Names of daemon log files, following Flink's `flink-<user>-<role>-<instance>-<host>.log`. */
import { hostname, userInfo } from 'node:os';

/** The parts of a daemon log file name. */
export interface LogFileNameParts {
  /** Daemon role as Flink names it, e.g. `standalonesession`, `taskexecutor`. */
  role: string;
  /** Index of this daemon among same-role daemons on the host (0 for the first). */
  instance: number;
  user: string;
  hostname: string;
}

/** `flink-<user>-<role>-<instance>-<hostname>.log`, e.g. `flink-alice-taskexecutor-0-worker1.log`. */
export function logFileName(parts: LogFileNameParts): string {
  return `flink-${parts.user}-${parts.role}-${parts.instance}-${parts.hostname}.log`;
}

/** The user running this process, as log and pid file names show it. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (common in containers).
    return process.env['USER'] ?? 'unknown';
  }
}

/** The short host name, as log file names show it. */
export function currentHostname(): string {
  return hostname();
}
