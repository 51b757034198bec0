/**
 * The splits of a `FileSource`, plain JSON so they can be a checkpoint's state.
 *
 * - A `FileSplit` is one file and the byte offset of its next record.
 * - A `FileDiscoverySplit` is a share of the file discovery: reader `shard` of
 *   `shardCount` takes the discovered files whose path hashes to it (see
 *   `fileShard`). There is no coordinator process, so discovery runs in the
 *   readers; carrying it as a split makes it part of the checkpoint, and the
 *   `assigned` paths (files already turned into FileSplits) survive a restore,
 *   so a monitored directory never reads a file twice. On rescale discovery
 *   splits move whole like any split. A bounded source drops them once the
 *   files are listed.
 */
import type { SourceSplit } from '@tsflink/api';

export interface FileSplit extends SourceSplit {
  readonly kind: 'file';
  /** The file, as the enumeration produced it (configured path joined with relative names). */
  readonly path: string;
  /** Byte offset of the next record to read. */
  readonly offset: number;
}

export interface FileDiscoverySplit extends SourceSplit {
  readonly kind: 'discovery';
  readonly shard: number;
  readonly shardCount: number;
  /** Paths of this shard already handed out as FileSplits, sorted. */
  readonly assigned: readonly string[];
}

export type FileSourceSplit = FileSplit | FileDiscoverySplit;

/** The split id of a file: its path. */
export function fileSplitId(path: string): string {
  return `file:${path}`;
}

/** The split id of discovery shard `shard` of `shardCount`. */
export function discoverySplitId(shard: number, shardCount: number): string {
  return `discovery-${shard}-of-${shardCount}`;
}
