/**
 * An HTTP proxy for fault injection between a client and a real server (e.g.
 * S3TestServer): it forwards requests unchanged, except those a test told it
 * to answer itself (e.g. "503 SlowDown three times"). Every request is logged.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An answer the proxy gives instead of forwarding. */
export interface CannedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One request the proxy received. */
export interface ProxiedRequestRecord {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** 'forwarded', or 'injected' when a canned answer was given. */
  readonly outcome: 'forwarded' | 'injected';
}

interface Injection {
  readonly matches: (method: string, url: string) => boolean;
  readonly response: CannedResponse;
  remaining: number;
}

export class HttpFaultProxy {
  /** Every request received, in order. */
  readonly requests: ProxiedRequestRecord[] = [];
  private readonly injections: Injection[] = [];

  private constructor(private readonly server: Server, readonly port: number, private readonly target: URL) {}

  /** Starts a proxy on a free port of 127.0.0.1 in front of `target` (e.g. 'http://127.0.0.1:9000'). */
  static async start(target: string): Promise<HttpFaultProxy> {
    let proxy: HttpFaultProxy | undefined;
    const server = createServer((req, res) => proxy?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    proxy = new HttpFaultProxy(server, typeof address === 'object' && address ? address.port : 0, new URL(target));
    return proxy;
  }

  /** `http://127.0.0.1:<port>`. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers the next `times` requests with `response` instead of forwarding them. */
  failNext(times: number, response: CannedResponse): void {
    this.failWhen(() => true, times, response);
  }

  /** Answers the next `times` requests that `matches` accepts with `response`. */
  failWhen(matches: (method: string, url: string) => boolean, times: number, response: CannedResponse): void {
    this.injections.push({ matches, response, remaining: times });
  }

  /** Forgets the answers not given yet: every request is forwarded again. */
  clearFaults(): void {
    this.injections.length = 0;
  }

  /** Requests logged so far with the given outcome. */
  count(outcome?: ProxiedRequestRecord['outcome']): number {
    return outcome === undefined ? this.requests.length : this.requests.filter((r) => r.outcome === outcome).length;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const injection = this.injections.find((i) => i.remaining > 0 && i.matches(method, url));
    if (injection) {
      injection.remaining--;
      this.requests.push({ method, url, outcome: 'injected' });
      const { status, headers = {}, body = '' } = injection.response;
      // Read the request first, so that the client sees the answer rather than a reset connection.
      req.resume();
      req.once('end', () => {
        res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
      });
      return;
    }
    this.requests.push({ method, url, outcome: 'forwarded' });
    const upstream = httpRequest({
      host: this.target.hostname,
      port: this.target.port,
      method,
      path: url,
      headers: req.headers,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

/** An S3 error answer (`<Error><Code>…</Code>…</Error>`), e.g. s3ErrorResponse(503, 'SlowDown', 'Please reduce your request rate.'). */
export function s3ErrorResponse(status: number, code: string, message: string): CannedResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>TSFLINKTEST</RequestId></Error>`;
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}
