/**
 * Every name a FileSink gives a file (the one module that builds them):
 * - in progress: `.part-<subtask>-<n>.inprogress.<uuid>` (hidden, so readers
 *   such as FileSource skip it; the uuid keeps names of different attempts apart),
 * - committed:   `part-<subtask>-<n>`.
 * `<n>` counts per subtask and is never reused in a directory.
 */
const PART_FILE = /^(\.)?part-(\d+)-(\d+)(?:\.inprogress\.([A-Za-z0-9-]+))?$/;

export function inProgressPartFileName(subtaskIndex: number, partIndex: number, uuid: string): string {
  return `.part-${subtaskIndex}-${partIndex}.inprogress.${uuid}`;
}

export function committedPartFileName(subtaskIndex: number, partIndex: number): string {
  return `part-${subtaskIndex}-${partIndex}`;
}

export interface ParsedPartFileName {
  readonly subtaskIndex: number;
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
  return { subtaskIndex: Number(m[2]), partIndex: Number(m[3]), inProgress };
}
