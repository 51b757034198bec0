import { JobManagerOptions, loadConfiguration, type Configuration } from '@tsflink/core';
import { ClusterClient } from '@tsflink/client';
import type { CliIO } from './cli-io.js';
import { println } from './cli-io.js';
import { CliArgsError } from './cli-errors.js';

/** Options every action accepts. */
export interface CommonOptions {
  jobmanager?: string;
  D?: string[];
  verbose?: boolean;
}

/** The configuration and JobManager client an action works with, built from -m, -D and FLINK_CONF_DIR. */
export class CliContext {
  private clientInstance?: ClusterClient;

  private constructor(readonly io: CliIO, readonly config: Configuration, readonly jobManagerAddress: string) {}

  static create(io: CliIO, options: CommonOptions): CliContext {
    const { config, warnings } = loadConfiguration({ env: io.env, dynamicProperties: options.D ?? [] });
    // Configuration warnings are the daemons' to report (in their logs); the CLI shows them with -v.
    if (options.verbose) for (const w of warnings) println(io.stderr, `Warning: ${w}`);
    let address = `${config.get(JobManagerOptions.RPC_ADDRESS)}:${config.get(JobManagerOptions.RPC_PORT)}`;
    if (options.jobmanager) address = parseJobManagerAddress(options.jobmanager);
    return new CliContext(io, config, address);
  }

  get client(): ClusterClient {
    this.clientInstance ??= new ClusterClient({ address: this.jobManagerAddress });
    return this.clientInstance;
  }

  close(): void {
    this.clientInstance?.close();
  }
}

/** Validates `-m host:port`. */
export function parseJobManagerAddress(value: string): string {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(value.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new CliArgsError(`The JobManager address "${value}" is not valid: use -m <host>:<port>, e.g. -m localhost:6123.`);
  }
  return `${m[1]}:${m[2]}`;
}
