export { runCli, VERSION } from './cli.js';
export type { CliIO } from './cli-io.js';
