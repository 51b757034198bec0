import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a job file into a fresh directory outside the repository (jobs need no install of their own). */
export function writeJobFile(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-job-'));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** Lines printed by `print()` in a daemon's output ("n> value" or plain values, never JSON log lines). */
export function printedLines(lines: readonly string[]): string[] {
  return lines.filter((l) => !l.startsWith('{'));
}
