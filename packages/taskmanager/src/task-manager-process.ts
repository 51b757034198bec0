import { hostname } from 'node:os';
import {
  HeartbeatOptions, JobManagerOptions, TaskManagerOptions, generateResourceId,
  type Clock, type Configuration, type Logger, type TimerService,
} from '@tsflink/core';
import { SERVER_OPTIONS, grpc, protos } from '@tsflink/proto';
import { PartitionRegistry } from '@tsflink/runtime';
import { JobManagerConnection } from './job-manager-connection.js';
import { createPartitionServer } from './network/partition-server.js';
import { RemoteInputChannels } from './network/remote-input-channels.js';
import { JobArtifacts } from './job-artifacts.js';
import { TaskExecutor } from './task-executor.js';
import { TaskStateWriter } from './checkpoint/task-state-writer.js';
import { createDefaultFileSystemRegistry } from '@tsflink/fs';

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
  private readonly partitions = new PartitionRegistry();
  private remoteChannels?: RemoteInputChannels;
  private executor?: TaskExecutor;
  id = '';
  dataAddress = '';

  constructor(private readonly deps: TaskManagerProcessDeps) {}

  async start(): Promise<void> {
    const { config, logger, clock, timers } = this.deps;
    const jmHost = config.get(JobManagerOptions.RPC_ADDRESS);
    const jmAddress = `${jmHost}:${config.get(JobManagerOptions.RPC_PORT)}`;
    const host = config.getOptional(TaskManagerOptions.HOST) ?? (isLoopback(jmHost) ? 'localhost' : hostname());
    const bindHost = isLoopback(host) ? host : '0.0.0.0';
    this.dataServer.addService(protos().dataExchange.service, createPartitionServer(this.partitions, logger.child({ component: 'PartitionServer' })));
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
    const connection = this.connection;
    const fileSystems = createDefaultFileSystemRegistry(config, { logger: log.child({ component: 'FileSystems' }) });
    this.remoteChannels = new RemoteInputChannels(log.child({ component: 'RemoteInputChannels' }));
    const executor = new TaskExecutor({
      taskManagerId: this.id,
      connection,
      artifacts: new JobArtifacts(() => connection.client, log.child({ component: 'JobArtifacts' })),
      partitions: this.partitions,
      remoteChannels: this.remoteChannels,
      logger: log,
      stdout: process.stdout,
      stderr: process.stderr,
      checkpointWriter: new TaskStateWriter(fileSystems, (m) => connection.send(m), log.child({ component: 'TaskStateWriter' })),
      fileSystems,
    });
    this.executor = executor;
    connection.on('message', (m) => executor.onMessage(m));
    connection.on('disconnected', (reason) => executor.cancelAll(`lost the JobManager (${reason})`));
    connection.start();
    log.info({ dataAddress: this.dataAddress, slots, jobManager: jmAddress },
      `TaskManager ${this.id} started with ${slots} slot(s); data exchange on ${this.dataAddress}; JobManager at ${jmAddress}.`);
  }

  async stop(): Promise<void> {
    this.deps.logger.info('TaskManager shutting down.');
    this.executor?.cancelAll('the TaskManager is shutting down');
    this.connection?.stop();
    this.remoteChannels?.close();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => { this.dataServer.forceShutdown(); resolve(); }, 2_000);
      this.dataServer.tryShutdown(() => { clearTimeout(force); resolve(); });
    });
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}
