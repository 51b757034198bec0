/**
 * `@tsflink/examples`: runnable jobs (each file's default export is its
 * `main(args)`, run with `flink run <file> [args]`) and the helpers tests use
 * to check their output.
 */
export {
  expectedOracleOutput, verifyOracleOutput, parseOracleArgs, oracleCount, oracleIndexAt, ORACLE_USAGE, ORACLE_DEFAULTS,
} from './checkpoint-oracle.js';
export type { OracleSettings, OracleVerification } from './checkpoint-oracle.js';
export {
  expectedEventTimeOracleOutput, verifyEventTimeOracleOutput, eventTimeOracleEvent, sessionKeyOf, parseEventTimeOracleArgs,
  EVENT_TIME_ORACLE, EVENT_TIME_ORACLE_USAGE,
} from './event-time-oracle.js';
export type { OracleEvent, EventTimeOracleSettings, EventTimeOracleVerification } from './event-time-oracle.js';
export { WORD_COUNT_LINES } from './word-count-data.js';
