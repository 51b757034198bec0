import { serializeError } from '@tsflink/core';
import { grpc } from '@tsflink/proto';

/** gRPC status codes for our error classes; anything else is INTERNAL. The single place errors go onto the wire. */
const STATUS_BY_ERROR_NAME: Record<string, grpc.status> = {
  JobNotFoundError: grpc.status.NOT_FOUND,
  InvalidJobIdError: grpc.status.INVALID_ARGUMENT,
  InvalidArgumentError: grpc.status.INVALID_ARGUMENT,
  JobSubmissionError: grpc.status.INVALID_ARGUMENT,
  SavepointError: grpc.status.FAILED_PRECONDITION,
  IllegalStateError: grpc.status.FAILED_PRECONDITION,
};

/** Converts a thrown error into a gRPC ServiceError whose details are the one-sentence message. */
export function toServiceError(e: unknown): Partial<grpc.ServiceError> {
  const err = e instanceof Error ? e : new Error(String(e));
  const metadata = new grpc.Metadata();
  const serialized = serializeError(err);
  // Binary metadata (-bin): a stack has newlines, which text metadata values must not contain.
  if (serialized.stack) metadata.set('error-stack-bin', Buffer.from(serialized.stack.slice(0, 8000)));
  return { code: STATUS_BY_ERROR_NAME[err.name] ?? grpc.status.INTERNAL, details: err.message, metadata };
}
