import { hostname } from 'node:os';
import {
  HeartbeatOptions, JobManagerOptions, TaskManagerOptions, generateResourceId,
  type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import { SERVER_OPTIONS, grpc, protos } from '@tsflink/proto';
import type { DataExchangeHandlers } from '@tsflink/proto';
import { JobManagerConnection } from './job-manager-connection.js';

export interface TaskManagerProcessDeps {
  config: Configuration;
  logger: Logger;
  clock: Clock;
  timers: TimerService;
}

/** The TaskManager daemon's composition root: data-exchange server, JobManager connection, slots. */
export class TaskManagerProcess {
  private readonly dataServer = new grpc.Server({ ...SERVER_OPTIONS });
  private connection?: JobManagerConnection;
  id = '';
  dataAddress = '';

  constructor(private readonly deps: TaskManagerProcessDeps) {}

  async start(): Promise<void> {
    const { config, logger, clock, timers } = this.deps;
    const jmHost = config.get(JobManagerOptions.RPC_ADDRESS);
    const jmAddress = `${jmHost}:${config.get(JobManagerOptions.RPC_PORT)}`;
    const host = config.getOptional(TaskManagerOptions.HOST) ?? (isLoopback(jmHost) ? 'localhost' : hostname());
    const bindHost = isLoopback(host) ? host : '0.0.0.0';
    const handlers: DataExchangeHandlers = {
      RequestPartition(call) {
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'No tasks are running on this TaskManager.' });
      },
    };
    this.dataServer.addService(protos().dataExchange.service, handlers);
    const dataPort = await new Promise<number>((resolve, reject) => {
      const port = config.get(TaskManagerOptions.DATA_PORT);
      this.dataServer.bindAsync(`${bindHost}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) reject(new Error(`Could not bind the TaskManager data port ${bindHost}:${port}: ${err.message}`));
        else resolve(bound);
      });
    });
    this.dataAddress = `${host}:${dataPort}`;
    this.id = generateResourceId(host, dataPort);
    const slots = config.get(TaskManagerOptions.NUM_TASK_SLOTS);
    const log = logger.child({ taskManagerId: this.id });
    this.connection = new JobManagerConnection(jmAddress, { id: this.id, host, dataAddress: this.dataAddress, slots },
      clock, timers, log.child({ component: 'JobManagerConnection' }),
      { intervalMs: config.get(HeartbeatOptions.INTERVAL), timeoutMs: config.get(HeartbeatOptions.TIMEOUT) });
    this.connection.start();
    log.info({ dataAddress: this.dataAddress, slots, jobManager: jmAddress },
      `TaskManager ${this.id} started with ${slots} slot(s); data exchange on ${this.dataAddress}; JobManager at ${jmAddress}.`);
  }

  async stop(): Promise<void> {
    this.deps.logger.info('TaskManager shutting down.');
    this.connection?.stop();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => { this.dataServer.forceShutdown(); resolve(); }, 2_000);
      this.dataServer.tryShutdown(() => { clearTimeout(force); resolve(); });
    });
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}
