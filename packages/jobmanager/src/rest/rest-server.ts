import { createServer, type Server } from 'node:http';
import type { Logger } from '@tsflink/core';
import type { DispatcherGateway } from '../rpc/dispatcher-service.js';

/**
 * A small read-only REST endpoint on `rest.port`, shaped like Flink's:
 * `GET /overview`, `GET /jobs/overview`, `GET /taskmanagers`. Used by health
 * checks (docker compose) and scripts; everything that changes state goes through gRPC.
 */
export class RestServer {
  private server?: Server;

  constructor(private readonly gateway: DispatcherGateway, private readonly logger: Logger) {}

  async start(host: string, port: number): Promise<number> {
    const server = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      try {
        const url = (req.url ?? '/').split('?')[0];
        if (req.method !== 'GET') { send(405, { errors: ['Only GET is supported.'] }); return; }
        const overview = this.gateway.clusterOverview();
        if (url === '/overview' || url === '/') {
          send(200, {
            taskmanagers: overview.task_managers?.length ?? 0,
            'slots-total': overview.slots_total,
            'slots-available': overview.slots_available,
            'jobs-running': overview.jobs_running,
            'flink-version': overview.version,
          });
        } else if (url === '/jobs/overview') {
          send(200, { jobs: this.gateway.listJobs().map((j) => ({ jid: j.job_id, name: j.name, state: j.state, 'start-time': j.start_time, 'end-time': j.end_time || -1, duration: j.duration_ms })) });
        } else if (url === '/taskmanagers') {
          send(200, { taskmanagers: (overview.task_managers ?? []).map((t) => ({ id: t.id, host: t.host, dataPort: t.data_address, slotsNumber: t.slots, freeSlots: t.free_slots, timeSinceLastHeartbeat: Date.now() - Number(t.last_heartbeat ?? 0) })) });
        } else {
          send(404, { errors: [`Not found: ${url}`] });
        }
      } catch (e) {
        send(500, { errors: [(e as Error).message] });
      }
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.logger.info({ restPort: bound }, `REST endpoint listening on ${host}:${bound}.`);
    return bound;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
