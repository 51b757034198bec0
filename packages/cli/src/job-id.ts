import { parseJobId } from '@tsflink/core';
import { CliArgsError } from './cli-errors.js';

/** Validates a job id typed by the user, with Flink's message for a malformed one. */
export function displayJobId(text: string): string {
  try {
    return parseJobId(text);
  } catch (e) {
    throw new CliArgsError((e as Error).message);
  }
}
