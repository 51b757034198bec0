import {
  HeartbeatOptions, JobManagerOptions, RestOptions, randomHex,
  type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import { SERVER_OPTIONS, grpc, protos } from '@tsflink/proto';
import { TaskManagerRegistry } from './resource-manager/task-manager-registry.js';
import { createTaskManagerGatewayService } from './rpc/task-manager-gateway-service.js';
import { createDispatcherService } from './rpc/dispatcher-service.js';
import { Dispatcher } from './dispatcher/dispatcher.js';
import { RestServer } from './rest/rest-server.js';
import { createDefaultFileSystemRegistry } from '@tsflink/fs';

export interface JobManagerProcessDeps {
  config: Configuration;
  logger: Logger;
  clock: Clock;
  timers: TimerService;
}

/** The JobManager daemon's composition root: gRPC server (clients + TaskManagers), REST, registry, dispatcher. */
export class JobManagerProcess {
  readonly id = randomHex(16);
  private readonly server = new grpc.Server(SERVER_OPTIONS);
  private readonly registry: TaskManagerRegistry;
  private readonly dispatcher: Dispatcher;
  private readonly rest: RestServer;
  private rpcPort = 0;
  private restPort = 0;

  constructor(private readonly deps: JobManagerProcessDeps) {
    const { config, logger, clock, timers } = deps;
    const interval = config.get(HeartbeatOptions.INTERVAL);
    const timeout = config.get(HeartbeatOptions.TIMEOUT);
    this.registry = new TaskManagerRegistry(clock, timers, interval, timeout, logger.child({ component: 'ResourceManager' }));
    this.dispatcher = new Dispatcher({ registry: this.registry, config, logger, clock, timers, fileSystems: createDefaultFileSystemRegistry(config, { logger: logger.child({ component: 'FileSystems' }) }) });
    this.rest = new RestServer(this.dispatcher, logger.child({ component: 'Rest' }));
    const p = protos();
    this.server.addService(p.dispatcher.service, createDispatcherService(this.dispatcher));
    this.server.addService(p.gateway.service, createTaskManagerGatewayService({
      registry: this.registry,
      jobManagerId: this.id,
      heartbeatIntervalMs: interval,
      heartbeatTimeoutMs: timeout,
      logger: logger.child({ component: 'TaskManagerGateway' }),
      listener: () => this.dispatcher,
      jobArtifact: (jobId) => this.dispatcher.jobArtifact(jobId),
    }));
  }

  /** Binds the RPC and REST ports; resolves with the bound ports. */
  async start(): Promise<{ rpcPort: number; restPort: number }> {
    const { config, logger } = this.deps;
    const host = config.getOptional(JobManagerOptions.BIND_HOST) ?? config.get(JobManagerOptions.RPC_ADDRESS);
    const port = config.get(JobManagerOptions.RPC_PORT);
    this.rpcPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(`${bindAddress(host)}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) reject(new Error(`Could not bind the JobManager RPC port ${host}:${port}: ${err.message}`));
        else resolve(bound);
      });
    });
    this.registry.start();
    // rest.address is where clients reach the endpoint (it may be a proxy's name); the server binds rest.bind-address.
    const restHost = config.getOptional(RestOptions.BIND_ADDRESS) ?? host;
    try {
      this.restPort = await this.rest.start(restHost, config.get(RestOptions.PORT));
    } catch (e) {
      this.server.forceShutdown();
      throw new Error(`Could not bind the REST port ${restHost}:${config.get(RestOptions.PORT)}: ${(e as Error).message}`);
    }
    logger.info({ jobManagerId: this.id, rpcPort: this.rpcPort, restPort: this.restPort },
      `JobManager started: RPC on ${host}:${this.rpcPort}, REST on ${restHost}:${this.restPort}.`);
    return { rpcPort: this.rpcPort, restPort: this.restPort };
  }

  /** Stops accepting calls, closes TaskManager streams and the REST server. */
  async stop(): Promise<void> {
    this.deps.logger.info('JobManager shutting down.');
    this.dispatcher.shutdown();
    this.registry.stop();
    await this.rest.stop();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => { this.server.forceShutdown(); resolve(); }, 2_000);
      this.server.tryShutdown(() => { clearTimeout(force); resolve(); });
      // Long-lived TaskManager streams never end on their own: cut them.
      setImmediate(() => this.server.forceShutdown());
    });
  }
}

/** gRPC wants IPv6 literals in brackets. */
function bindAddress(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
