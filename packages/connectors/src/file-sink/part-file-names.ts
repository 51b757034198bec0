/**
 * Every name a FileSink gives a file (the one module that builds them):
 * - in progress: `.part-<writer>-<n>.inprogress.<uuid>` (hidden, so readers
 *   such as FileSource skip it; the uuid keeps names of different attempts apart),
 * - committed:   `part-<writer>-<n>`.
 * `<writer>` names one writer's lineage of files (see file-sink-writer.ts): a
 * random hex id, or — for files written by format version 1 — the subtask index.
 * `<n>` counts per writer and is never reused in a directory.
 */
const PART_FILE = /^(\.)?part-([0-9a-f]+)-(\d+)(?:\.inprogress\.([A-Za-z0-9-]+))?$/;

export function inProgressPartFileName(writerId: string, partIndex: number, uuid: string): string {
  return `.part-${writerId}-${partIndex}.inprogress.${uuid}`;
}

export function committedPartFileName(writerId: string, partIndex: number): string {
  return `part-${writerId}-${partIndex}`;
}

export interface ParsedPartFileName {
  readonly writerId: string;
  readonly partIndex: number;
  readonly inProgress: boolean;
}

/** Parses a FileSink file name; undefined for any other name. */
export function parsePartFileName(name: string): ParsedPartFileName | undefined {
  const m = PART_FILE.exec(name);
  if (m === null) return undefined;
  const hidden = m[1] !== undefined;
  const inProgress = m[4] !== undefined;
  if (hidden !== inProgress) return undefined; // ".part-0-1" or "part-0-1.inprogress.x": not ours
  return { writerId: m[2]!, partIndex: Number(m[3]), inProgress };
}
