/**
 * Error types shared by every tsflink package, and their wire form.
 *
 * One class per condition, each saying when it is thrown. Commands and daemons
 * throw these; only the CLI entry point turns them into exit codes and messages.
 */

/** Base class of all tsflink errors; `name` is always the concrete class name. */
export class TsflinkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown when the configuration (flink-conf.yaml, `-D` properties, environment)
 * holds values that cannot be used: wrong type, bad URI, out of range, an unreadable
 * file. Every problem found is collected in {@link problems}, so a user fixes them
 * all in one round.
 */
export class ConfigurationError extends TsflinkError {
  /** One line per problem, each naming the key and the offending value. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[] | string, header = 'Invalid configuration') {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(ConfigurationError.formatMessage(header, list));
    this.problems = list;
  }

  private static formatMessage(header: string, problems: readonly string[]): string {
    if (problems.length === 1) return `${header}: ${problems[0]}`;
    return `${header} (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

/** Thrown when a string given as a job id is not 32 hexadecimal characters. */
export class InvalidJobIdError extends TsflinkError {
  /** The string that failed to parse. */
  readonly input: string;

  constructor(input: string) {
    super(
      `Cannot parse JobID from "${input}". The expected format is [0-9a-fA-F]{32}, e.g. fd72014d4c864993a2e5a9287b4a9c5d.`,
    );
    this.input = input;
  }
}

/** Thrown when a request names a job the JobManager does not know. */
export class JobNotFoundError extends TsflinkError {
  /** The id that was looked up. */
  readonly jobId: string;

  constructor(jobId: string) {
    super(`Could not find Flink job (${jobId})`);
    this.jobId = jobId;
  }
}

/** Thrown when a caller (CLI user, API user, RPC peer) passes an argument that is not acceptable. */
export class InvalidArgumentError extends TsflinkError {}

/** An error in a form that can cross a process boundary (gRPC, JSON). */
export interface SerializedError {
  name: string;
  message: string;
  /** The stack as printed by the process where the error happened; empty when unknown. */
  stack: string;
}

/** Turns any thrown value into its wire form. Non-Error values become an `Error` with their text. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack ?? '' };
  }
  return { name: 'Error', message: String(error), stack: '' };
}

/**
 * Rebuilds an error received from another process. The result is a plain `Error`
 * carrying the remote `name` and `message`; its `stack` is the remote stack, so a
 * log shows where the failure really happened.
 */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name || 'Error';
  error.stack = serialized.stack || `${error.name}: ${serialized.message}`;
  return error;
}
