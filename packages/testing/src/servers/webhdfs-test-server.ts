/**
 * A WebHDFS-protocol server for tests: a namenode and a datanode HTTP server
 * on 127.0.0.1 sharing one directory tree on local disk, following Hadoop's
 * documented REST API (`/webhdfs/v1/<path>?op=...&user.name=...`):
 *
 * - CREATE (PUT) and APPEND (POST): the namenode answers 307 with a `Location`
 *   on the datanode, which stores the body and answers 201 (CREATE) or 200;
 * - OPEN (GET, `offset`, `length`): 307 to the datanode, which streams the bytes;
 * - MKDIRS, RENAME (`destination`), DELETE (`recursive`): `{"boolean": ...}`;
 *   GETFILESTATUS: `{"FileStatus": {...}}`; LISTSTATUS: `{"FileStatuses": {"FileStatus": [...]}}`;
 * - errors are RemoteException JSON; statuses are only 200, 201, 307, 400,
 *   401, 403, 404 and 500.
 *
 * It is a real HTTP server speaking the protocol, not a mock of any client, and
 * has fault hooks: {@link datanodeDown}, {@link namenodeDown} (connections
 * refused: the listener is closed, later reopened on the same port),
 * {@link slowDatanode}, {@link failNext} and {@link answerFalseNext}. It runs in-process; the entry
 * script `webhdfs-test-server-main` runs it as a child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Configuration, HdfsOptions } from '@tsflink/core';
import { WebHdfsNamespace } from './webhdfs-namespace.js';
import { isWebHdfsErrorStatus, RemoteException, type WebHdfsErrorStatus } from './webhdfs-remote-exception.js';

/** The operations the server implements. */
export type WebHdfsOp = 'CREATE' | 'APPEND' | 'OPEN' | 'MKDIRS' | 'LISTSTATUS' | 'GETFILESTATUS' | 'RENAME' | 'DELETE';

/** The operations answering `{"boolean": ...}`. */
export type BooleanOp = 'MKDIRS' | 'RENAME' | 'DELETE';

/** Which of the two servers. */
export type WebHdfsNode = 'namenode' | 'datanode';

/** One request the server received, for assertions. */
export interface WebHdfsRequestRecord {
  readonly node: WebHdfsNode;
  readonly method: string;
  readonly op: string;
  readonly path: string;
  /** The `user.name` parameter, if sent. */
  readonly user: string | undefined;
}

/** Options of {@link WebHdfsTestServer.failNext}. */
export interface FailNextOptions {
  /** The exception's message; default names the injected failure. */
  message?: string;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Which server fails them; default the namenode (CREATE, APPEND and OPEN also reach the datanode). */
  node?: WebHdfsNode;
}

export interface WebHdfsTestServerOptions {
  /** Directory holding the tree; default a new temporary directory (removed by stop()). */
  root?: string;
  /** Ports; default free ones. */
  namenodePort?: number;
  datanodePort?: number;
  /** Owner reported for every entry; default the process user. */
  owner?: string;
}

const OPS_BY_METHOD: Record<string, readonly WebHdfsOp[]> = {
  GET: ['OPEN', 'GETFILESTATUS', 'LISTSTATUS'],
  PUT: ['CREATE', 'MKDIRS', 'RENAME'],
  POST: ['APPEND'],
  DELETE: ['DELETE'],
};
const OP_PARAM_CLASS: Record<string, string> = { GET: 'GetOpParam', PUT: 'PutOpParam', POST: 'PostOpParam', DELETE: 'DeleteOpParam' };
const DATANODE_OPS: readonly WebHdfsOp[] = ['CREATE', 'APPEND', 'OPEN'];
const PREFIX = '/webhdfs/v1';

interface Fault {
  readonly node: WebHdfsNode;
  readonly op: WebHdfsOp;
  readonly error: RemoteException;
  remaining: number;
}

interface ParsedRequest {
  readonly op: WebHdfsOp;
  readonly path: string;
  readonly query: URLSearchParams;
}

export class WebHdfsTestServer {
  /** Every request received, in order. */
  readonly requests: WebHdfsRequestRecord[] = [];
  private readonly namespace: WebHdfsNamespace;
  private readonly namenode: HttpListener;
  private readonly datanode: HttpListener;
  private readonly faults: Fault[] = [];
  private readonly falseAnswers = new Map<BooleanOp, number>();
  private datanodeDelayMs = 0;

  private constructor(readonly root: string, private readonly ownsRoot: boolean, owner: string, ports: { namenode: number; datanode: number }) {
    this.namespace = new WebHdfsNamespace(root, owner);
    this.namenode = new HttpListener(ports.namenode, (req, res) => this.handle('namenode', req, res));
    this.datanode = new HttpListener(ports.datanode, (req, res) => this.handle('datanode', req, res));
  }

  /** Starts both servers. */
  static async start(options: WebHdfsTestServerOptions = {}): Promise<WebHdfsTestServer> {
    const root = options.root ?? mkdtempSync(join(tmpdir(), 'tsflink-webhdfs-'));
    const server = new WebHdfsTestServer(root, options.root === undefined, options.owner ?? userInfo().username, {
      namenode: options.namenodePort ?? 0,
      datanode: options.datanodePort ?? 0,
    });
    await server.namenode.up();
    await server.datanode.up();
    return server;
  }

  get namenodePort(): number {
    return this.namenode.port;
  }

  get datanodePort(): number {
    return this.datanode.port;
  }

  /** `webhdfs://127.0.0.1:<namenode port><path>`: reaches this server with no configuration. */
  uri(path = '/'): string {
    return webHdfsUri(this.namenodePort, path);
  }

  /** `hdfs://127.0.0.1:8020<path>`: reaches this server with {@link flinkConfig} / {@link configuration}. */
  hdfsUri(path = '/'): string {
    return hdfsUri(path);
  }

  /** flink-conf.yaml entries that make hdfs://127.0.0.1/... reach this server. */
  get flinkConfig(): Record<string, string> {
    return webHdfsFlinkConfig(this.namenodePort);
  }

  /** The same as a Configuration. */
  configuration(): Configuration {
    return webHdfsConfiguration(this.namenodePort);
  }

  /** Takes the datanode off the network (connections refused) or back on, on the same port. */
  async datanodeDown(down: boolean): Promise<void> {
    await (down ? this.datanode.down() : this.datanode.up());
  }

  /** Takes the namenode off the network (connections refused) or back on, on the same port. */
  async namenodeDown(down: boolean): Promise<void> {
    await (down ? this.namenode.down() : this.namenode.up());
  }

  /** Delays every datanode request by `millis` before it is handled (0: no delay). */
  slowDatanode(millis: number): void {
    this.datanodeDelayMs = millis;
  }

  /**
   * The next request(s) for `op` answer `status` with a RemoteException named
   * `exception` instead of being served. `status` must be one WebHDFS uses.
   */
  failNext(op: WebHdfsOp, status: number, exception: string, options: FailNextOptions = {}): void {
    if (!isWebHdfsErrorStatus(status)) throw new RangeError(`WebHDFS answers errors only with 400, 401, 403, 404 or 500, not ${status}`);
    const node = options.node ?? 'namenode';
    if (node === 'datanode' && !DATANODE_OPS.includes(op)) throw new RangeError(`${op} never reaches the datanode`);
    const message = options.message ?? `${exception} injected by the WebHDFS test server for ${op}`;
    this.faults.push({ node, op, error: new RemoteException(status, exception, message), remaining: options.times ?? 1 });
  }

  /**
   * The next `times` MKDIRS, RENAME or DELETE requests answer `{"boolean": false}`
   * without doing anything, as HDFS does when such an operation fails quietly.
   */
  answerFalseNext(op: BooleanOp, times = 1): void {
    this.falseAnswers.set(op, (this.falseAnswers.get(op) ?? 0) + times);
  }

  /** Forgets injected faults and delays, and brings both servers up. */
  async heal(): Promise<void> {
    this.faults.length = 0;
    this.falseAnswers.clear();
    this.datanodeDelayMs = 0;
    await this.namenode.up();
    await this.datanode.up();
  }

  /** Stops both servers and removes the tree if start() created it. */
  async stop(): Promise<void> {
    await this.namenode.down();
    await this.datanode.down();
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
  }

  private async handle(node: WebHdfsNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (node === 'datanode' && this.datanodeDelayMs > 0) await delay(this.datanodeDelayMs);
      // The raw path, not URL's: URL would resolve '..' segments, which HDFS rejects as invalid.
      const target = req.url ?? '/';
      const queryStart = target.indexOf('?');
      const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
      const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));
      if (rawPath !== PREFIX && !rawPath.startsWith(PREFIX + '/')) {
        // Like Jetty: a plain 404 page, not a RemoteException.
        req.resume();
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
        return;
      }
      const request = this.parse(req.method ?? 'GET', rawPath, query, node);
      this.requests.push({ node, method: req.method ?? 'GET', op: request.op, path: request.path, user: query.get('user.name') ?? undefined });
      const fault = this.takeFault(node, request.op);
      if (fault) throw fault;
      if (node === 'namenode') await this.namenodeOp(request, req, res);
      else await this.datanodeOp(request, req, res);
    } catch (error) {
      await sendError(req, res, error);
    }
  }

  private parse(method: string, rawPath: string, query: URLSearchParams, node: WebHdfsNode): ParsedRequest {
    const rawOp = (query.get('op') ?? '').toUpperCase();
    const allowed = node === 'namenode' ? OPS_BY_METHOD[method] ?? [] : (OPS_BY_METHOD[method] ?? []).filter((op) => DATANODE_OPS.includes(op));
    const op = allowed.find((o) => o === rawOp);
    if (op === undefined) {
      throw RemoteException.illegalArgument(
        `Invalid value for webhdfs parameter "op": No enum constant org.apache.hadoop.hdfs.web.resources.${OP_PARAM_CLASS[method] ?? 'HttpOpParam'}.Op.${rawOp}`);
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath.slice(PREFIX.length)) || '/';
    } catch {
      throw RemoteException.illegalArgument(`Invalid path name ${rawPath}: bad percent-encoding`);
    }
    return { op, path: WebHdfsNamespace.normalize(decoded), query };
  }

  private async namenodeOp({ op, path, query }: ParsedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // namenode requests carry no data
    if ((op === 'MKDIRS' || op === 'RENAME' || op === 'DELETE') && this.takeFalseAnswer(op)) {
      return sendJson(res, 200, { boolean: false });
    }
    switch (op) {
      case 'GETFILESTATUS':
        return sendJson(res, 200, { FileStatus: await this.namespace.getFileStatus(path) });
      case 'LISTSTATUS':
        return sendJson(res, 200, { FileStatuses: { FileStatus: await this.namespace.listStatus(path) } });
      case 'MKDIRS':
        return sendJson(res, 200, { boolean: await this.namespace.mkdirs(path) });
      case 'RENAME': {
        const destination = query.get('destination');
        if (!destination || !destination.startsWith('/')) {
          throw RemoteException.illegalArgument(`Invalid value for webhdfs parameter "destination": ${destination ?? ''} is not an absolute path`);
        }
        return sendJson(res, 200, { boolean: await this.namespace.rename(path, WebHdfsNamespace.normalize(destination)) });
      }
      case 'DELETE':
        return sendJson(res, 200, { boolean: await this.namespace.delete(path, booleanParam(query, 'recursive', false)) });
      case 'CREATE':
        booleanParam(query, 'overwrite', false);
        return this.redirectToDatanode(res, path, query);
      case 'APPEND':
        await this.namespace.requireFile(path);
        return this.redirectToDatanode(res, path, query);
      case 'OPEN':
        await this.namespace.requireFile(path);
        longParam(query, 'offset');
        longParam(query, 'length');
        return this.redirectToDatanode(res, path, query);
    }
  }

  private async datanodeOp({ op, path, query }: ParsedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (op) {
      case 'CREATE': {
        const out = await this.namespace.openForCreate(path, booleanParam(query, 'overwrite', false));
        await pipeline(req, out);
        res.writeHead(201, { Location: `webhdfs://127.0.0.1:${this.namenodePort}${encodePath(path)}`, 'Content-Length': '0' }).end();
        return;
      }
      case 'APPEND': {
        const out = await this.namespace.openForAppend(path);
        await pipeline(req, out);
        res.writeHead(200, { 'Content-Length': '0' }).end();
        return;
      }
      case 'OPEN': {
        req.resume();
        const data = await this.namespace.openForRead(path, longParam(query, 'offset') ?? 0, longParam(query, 'length'));
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        await pipeline(data, res).catch(() => undefined); // the reader may hang up early
        return;
      }
      default:
        throw RemoteException.illegalArgument(`${op} is not a datanode operation`);
    }
  }

  private redirectToDatanode(res: ServerResponse, path: string, query: URLSearchParams): void {
    const params = new URLSearchParams(query);
    params.set('namenoderpcaddress', `127.0.0.1:${this.namenodePort}`);
    const location = `http://127.0.0.1:${this.datanodePort}${PREFIX}${encodePath(path)}?${params.toString()}`;
    res.writeHead(307, { Location: location, 'Content-Length': '0' }).end();
  }

  private takeFalseAnswer(op: BooleanOp): boolean {
    const left = this.falseAnswers.get(op) ?? 0;
    if (left <= 0) return false;
    this.falseAnswers.set(op, left - 1);
    return true;
  }

  private takeFault(node: WebHdfsNode, op: WebHdfsOp): RemoteException | undefined {
    const index = this.faults.findIndex((f) => f.node === node && f.op === op);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    if (--fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.error;
  }
}

/** `webhdfs://127.0.0.1:<port><path>`. */
export function webHdfsUri(namenodePort: number, path: string): string {
  return `webhdfs://127.0.0.1:${namenodePort}${path.startsWith('/') ? path : '/' + path}`;
}

/** `hdfs://127.0.0.1:8020<path>` (8020: the namenode RPC port, which WebHDFS access ignores). */
export function hdfsUri(path: string): string {
  return `hdfs://127.0.0.1:8020${path.startsWith('/') ? path : '/' + path}`;
}

/** flink-conf.yaml entries for a WebHDFS namenode on 127.0.0.1:<port>. */
export function webHdfsFlinkConfig(namenodePort: number): Record<string, string> {
  return { [HdfsOptions.WEBHDFS_PORT.key]: String(namenodePort), [HdfsOptions.USER.key]: 'tsflink' };
}

/** {@link webHdfsFlinkConfig} as a Configuration. */
export function webHdfsConfiguration(namenodePort: number): Configuration {
  return new Configuration().set(HdfsOptions.WEBHDFS_PORT, namenodePort).set(HdfsOptions.USER, 'tsflink');
}

/** An HTTP server that can be taken down (connections refused) and brought up again on the same port. */
class HttpListener {
  private server: Server | undefined;

  constructor(public port: number, private readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

async function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): Promise<void> {
  const remote = error instanceof RemoteException
    ? error
    : new RemoteException(500, 'IOException', error instanceof Error ? error.message : String(error));
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  // Read what the client still sends, so that it sees the answer rather than a reset connection.
  if (!req.complete) {
    req.resume();
    await new Promise<void>((resolve) => { req.once('end', resolve); req.once('close', resolve); });
  }
  sendJson(res, remote.status, remote.toJson());
}

function sendJson(res: ServerResponse, status: 200 | WebHdfsErrorStatus, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
}

function booleanParam(query: URLSearchParams, name: string, defaultValue: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === '') return defaultValue;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw RemoteException.illegalArgument(`Invalid value for webhdfs parameter "${name}": Failed to parse "${value}" to Boolean.`);
}

function longParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw RemoteException.illegalArgument(`Invalid value for webhdfs parameter "${name}": ${value} is not a non-negative long`);
  }
  return n;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function delay(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis).unref());
}
