import { grpc } from '@tsflink/proto';

/** The JobManager could not be reached at the given address (not running, wrong host/port, network). */
export class JobManagerUnreachableError extends Error {
  constructor(readonly address: string, reason: string) {
    super(`Could not connect to the JobManager at ${address} (${reason}). Is the cluster running? Start it with scripts/start-cluster.sh, or pass -m <host:port>.`);
    this.name = 'JobManagerUnreachableError';
  }
}

/** The JobManager answered with an error; `message` is its one-sentence explanation, `code` the gRPC status. */
export class JobManagerRequestError extends Error {
  constructor(message: string, readonly code: number, readonly remoteStack?: string) {
    super(message);
    this.name = 'JobManagerRequestError';
  }
}

/** Turns a gRPC call error into one of the two client errors above (the single place wire errors are parsed). */
export function toClientError(address: string, e: unknown): Error {
  const err = e as grpc.ServiceError;
  if (typeof err?.code !== 'number') return e instanceof Error ? e : new Error(String(e));
  if (err.code === grpc.status.UNAVAILABLE) {
    return new JobManagerUnreachableError(address, describeUnavailable(err.details));
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED && /Waiting for LB|connect|Failed to/i.test(err.details ?? '')) {
    return new JobManagerUnreachableError(address, 'connection timed out');
  }
  const stack = err.metadata?.get('error-stack-bin')?.[0];
  return new JobManagerRequestError(err.details || err.message, err.code, Buffer.isBuffer(stack) ? stack.toString() : undefined);
}

function describeUnavailable(details: string | undefined): string {
  const d = details ?? '';
  if (/ECONNREFUSED|Connection refused/i.test(d)) return 'connection refused';
  if (/ENOTFOUND|Name resolution failed|DNS/i.test(d)) return 'unknown host';
  if (/ETIMEDOUT|timed out/i.test(d)) return 'connection timed out';
  return d ? d.replace(/\.$/, '') : 'unavailable';
}
