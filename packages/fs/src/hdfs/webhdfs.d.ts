/**
 * Types for the `webhdfs` npm package (1.2.0), which ships none. Only what
 * tsflink uses is declared, as the package behaves (see lib/webhdfs.js):
 *
 * - every method returns the underlying `request` library's Request object, a
 *   stream with `abort()` and, once answered, `response` (status code and, for
 *   JSON calls, the parsed body);
 * - callbacks get only an Error whose message is the RemoteException's
 *   message (its exception name and the HTTP status are dropped);
 * - `rename` and `unlink` call back without error when WebHDFS answers
 *   `{"boolean": false}`;
 * - `createWriteStream` returns the namenode request: pipe a Readable into it
 *   (writing to it directly would send the data to the namenode); on the 307 it
 *   pipes that Readable into a request to the datanode. It emits 'error' (maybe
 *   twice) and then 'finish' on failure, 'finish' alone on success; it never
 *   settles when the namenode answers a status other than 307/400/401/403/404/500;
 * - `createReadStream` emits 'data', 'error' (for an error status, also once per
 *   chunk of the error body) and 'finish'; it follows the 307 by itself (GET).
 */
declare module 'webhdfs' {
  /** The `request` library's answer as far as tsflink reads it. */
  export interface WebHdfsResponse {
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body?: unknown;
  }

  /** The `request` library's Request: a duplex stream (request body in, answer out), abortable. */
  export interface WebHdfsRequest extends NodeJS.ReadWriteStream {
    /** Set once the answer's status line arrived. */
    response?: WebHdfsResponse;
    abort(): void;
  }

  /** A FileStatus as WebHDFS returns it. */
  export interface WebHdfsFileStatus {
    pathSuffix: string;
    type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
    length: number;
    modificationTime: number;
    accessTime?: number;
    blockSize?: number;
    owner?: string;
    group?: string;
    permission?: string;
    replication?: number;
  }

  export type Callback = (error: Error | null) => void;

  export interface WebHdfsClient {
    stat(path: string, callback: (error: Error | null, status?: WebHdfsFileStatus) => void): WebHdfsRequest;
    readdir(path: string, callback: (error: Error | null, statuses?: WebHdfsFileStatus[]) => void): WebHdfsRequest;
    mkdir(path: string, mode: string | null, callback: Callback): WebHdfsRequest;
    rename(path: string, destination: string, callback: Callback): WebHdfsRequest;
    unlink(path: string, recursive: boolean, callback: Callback): WebHdfsRequest;
    createReadStream(path: string, options?: { offset?: number; length?: number }): WebHdfsRequest;
    createWriteStream(path: string, append?: boolean, options?: { overwrite?: boolean; permission?: string }): WebHdfsRequest;
  }

  export interface CreateClientOptions {
    host: string;
    port: number | string;
    /** Default '/webhdfs/v1'. */
    path?: string;
    /** Sent as `user.name`. */
    user?: string;
    protocol?: 'http' | 'https';
  }

  /** Options handed to every `request` call, e.g. `{ timeout }` (connect and inactivity timeout, ms). */
  export interface RequestParams {
    timeout?: number;
  }

  /** The package is CommonJS (`module.exports = { createClient }`): from ESM it is the default export. */
  const webhdfs: {
    createClient(options: CreateClientOptions, requestParams?: RequestParams): WebHdfsClient;
  };
  export default webhdfs;
}
