/**
 * Errors thrown by the built-in connectors. One class per condition, each
 * saying when it is thrown; all extend core's `TsflinkError`.
 */
import { TsflinkError } from '@tsflink/core';

/**
 * Thrown when a file connector is given a URI whose scheme it cannot reach: the
 * file connectors use node:fs directly, so only plain paths and `file://` URIs
 * (local or shared, e.g. NFS-mounted, filesystems) work.
 */
export class UnsupportedPathSchemeError extends TsflinkError {
  constructor(readonly path: string, readonly scheme: string) {
    super(`The file connectors read and write local (or mounted shared) filesystems only: plain paths or file:// URIs. `
      + `Scheme "${scheme}" of ${path} is not supported.`);
  }
}

/** Thrown when a text format is asked for a charset whose line breaks are not the single byte 0x0A. */
export class UnsupportedCharsetError extends TsflinkError {
  constructor(readonly charsetName: string, supported: readonly string[]) {
    super(`Unsupported charset "${charsetName}" for text lines; supported: ${supported.join(', ')}.`);
  }
}

/** Thrown by a FileSource reader when a configured input path does not exist. */
export class FileSourcePathNotFoundError extends TsflinkError {
  constructor(readonly path: string) {
    super(`File source input path does not exist: ${path}`);
  }
}

/**
 * Thrown when a FileSink cannot commit a pending part file: neither the
 * in-progress file nor the committed file exists (someone deleted data the
 * checkpoint relies on), or the rename failed for another reason.
 */
export class FileSinkCommitError extends TsflinkError {
  constructor(readonly inProgressPath: string, readonly committedPath: string, cause?: unknown) {
    super(`Cannot commit part file ${inProgressPath} to ${committedPath}: `
      + (cause === undefined ? 'neither file exists.' : String((cause as Error).message ?? cause)),
    cause === undefined ? undefined : { cause });
  }
}

/** Thrown when a FileSink writer is restored from state it does not understand (unknown version or shape). */
export class FileSinkStateError extends TsflinkError {
  constructor(detail: string) {
    super(`Cannot restore the FileSink writer state: ${detail}`);
  }
}
