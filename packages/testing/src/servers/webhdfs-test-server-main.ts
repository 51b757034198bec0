/**
 * Entry script running a WebHdfsTestServer as its own process, for
 * cross-process tests (see WebHdfsTestServerProcess):
 *
 *   node webhdfs-test-server-main.js [--root DIR] [--namenode-port N] [--datanode-port N] [--owner NAME]
 *
 * Prints one JSON line `{"ready":true,"namenodePort":…,"datanodePort":…,"root":…}`
 * once both servers listen. Then reads control commands from stdin, one JSON
 * object a line (`{"id":1,"method":"datanodeDown","args":[true]}`), and answers
 * each with `{"id":1,"ok":true,"result":…}` or `{"id":1,"ok":false,"error":"…"}`.
 * Exits when stdin closes (its parent is gone) or on SIGTERM.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { WebHdfsTestServer } from './webhdfs-test-server.js';

/** The control methods a parent may call. */
const METHODS = ['datanodeDown', 'namenodeDown', 'slowDatanode', 'failNext', 'answerFalseNext', 'heal', 'requests'] as const;
type Method = (typeof METHODS)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      'namenode-port': { type: 'string' },
      'datanode-port': { type: 'string' },
      owner: { type: 'string' },
    },
  });
  const server = await WebHdfsTestServer.start({
    ...(values.root !== undefined && { root: values.root }),
    ...(values['namenode-port'] !== undefined && { namenodePort: Number(values['namenode-port']) }),
    ...(values['datanode-port'] !== undefined && { datanodePort: Number(values['datanode-port']) }),
    ...(values.owner !== undefined && { owner: values.owner }),
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.stdin.once('end', () => void stop());

  const reply = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    void (async () => {
      let id: unknown;
      try {
        const command = JSON.parse(line) as { id?: unknown; method?: unknown; args?: unknown };
        id = command.id;
        const method = command.method as Method;
        if (!METHODS.includes(method)) throw new Error(`unknown method ${String(command.method)}`);
        const args = Array.isArray(command.args) ? command.args : [];
        const result = await call(server, method, args);
        reply({ id, ok: true, result });
      } catch (error) {
        reply({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  reply({ ready: true, namenodePort: server.namenodePort, datanodePort: server.datanodePort, root: server.root });
}

async function call(server: WebHdfsTestServer, method: Method, args: unknown[]): Promise<unknown> {
  switch (method) {
    case 'datanodeDown': return server.datanodeDown(Boolean(args[0]));
    case 'namenodeDown': return server.namenodeDown(Boolean(args[0]));
    case 'slowDatanode': return server.slowDatanode(Number(args[0]));
    case 'failNext': return server.failNext(args[0] as never, Number(args[1]), String(args[2]), (args[3] ?? {}) as never);
    case 'answerFalseNext': return server.answerFalseNext(args[0] as never, args[1] === undefined ? 1 : Number(args[1]));
    case 'heal': return server.heal();
    case 'requests': return server.requests;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
