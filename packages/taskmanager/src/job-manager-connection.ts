import { EventEmitter } from 'node:events';
import type { Cancellable, Clock, Logger, TimerService } from '@tsflink/core';
import { CONTROL_CHANNEL_OPTIONS, grpc, protos } from '@tsflink/proto';
import type {
  JobManagerMessage__Output, TaskManagerGatewayClient, TaskManagerMessage,
} from '@tsflink/proto';

export interface TaskManagerIdentity {
  id: string;
  host: string;
  dataAddress: string;
  slots: number;
}

export interface JobManagerConnectionEvents {
  /** Registered with a JobManager (first time or again after a reconnect). */
  registered: [jobManagerId: string];
  /** The connection to the JobManager was lost; running tasks must be cancelled. */
  disconnected: [reason: string];
  message: [message: JobManagerMessage__Output];
}

/**
 * The TaskManager's side of the control plane: keeps one Connect stream to the
 * JobManager open, registers over it, exchanges heartbeats, and reconnects with
 * backoff when the stream closes or the JobManager stops answering heartbeats.
 */
export class JobManagerConnection extends EventEmitter<JobManagerConnectionEvents> {
  private readonly stub: TaskManagerGatewayClient;
  private call?: grpc.ClientDuplexStream<TaskManagerMessage, JobManagerMessage__Output>;
  private heartbeatTimer?: Cancellable;
  private reconnectTimer?: Cancellable;
  private lastHeard = 0;
  private registeredWith?: string;
  private stopped = false;
  private backoffMs = 100;
  private heartbeatIntervalMs: number;
  private heartbeatTimeoutMs: number;

  constructor(
    private readonly jobManagerAddress: string,
    private readonly identity: TaskManagerIdentity,
    private readonly clock: Clock,
    private readonly timers: TimerService,
    private readonly logger: Logger,
    heartbeat: { intervalMs: number; timeoutMs: number },
  ) {
    super();
    this.heartbeatIntervalMs = heartbeat.intervalMs;
    this.heartbeatTimeoutMs = heartbeat.timeoutMs;
    this.stub = new (protos().gateway)(jobManagerAddress, grpc.credentials.createInsecure(), CONTROL_CHANNEL_OPTIONS);
  }

  get client(): TaskManagerGatewayClient {
    return this.stub;
  }

  get isRegistered(): boolean {
    return this.registeredWith !== undefined;
  }

  start(): void {
    this.connect();
    this.heartbeatTimer = this.timers.setInterval(() => this.tick(), this.heartbeatIntervalMs);
  }

  /** Sends a message if connected; returns false when there is no live connection. */
  send(message: TaskManagerMessage): boolean {
    if (!this.call || !this.registeredWith) return false;
    this.call.write(message);
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.heartbeatTimer?.cancel();
    this.reconnectTimer?.cancel();
    this.call?.end();
    this.call?.cancel();
    this.stub.close();
  }

  private connect(): void {
    if (this.stopped) return;
    const call = this.stub.Connect();
    this.call = call;
    this.lastHeard = this.clock.now();
    call.on('data', (message: JobManagerMessage__Output) => {
      this.lastHeard = this.clock.now();
      if (message.body === 'registered' && message.registered) {
        const r = message.registered;
        this.registeredWith = r.job_manager_id;
        this.backoffMs = 100;
        if (r.heartbeat_interval_ms > 0 && r.heartbeat_interval_ms !== this.heartbeatIntervalMs) {
          this.heartbeatIntervalMs = r.heartbeat_interval_ms;
          this.heartbeatTimer?.cancel();
          this.heartbeatTimer = this.timers.setInterval(() => this.tick(), this.heartbeatIntervalMs);
        }
        if (r.heartbeat_timeout_ms > 0) this.heartbeatTimeoutMs = r.heartbeat_timeout_ms;
        this.logger.info({ jobManagerId: r.job_manager_id }, `Registered at the JobManager ${this.jobManagerAddress} (id ${r.job_manager_id}).`);
        this.emit('registered', r.job_manager_id);
        return;
      }
      if (message.body === 'heartbeat') return;
      this.emit('message', message);
    });
    const onGone = (reason: string) => {
      if (this.call !== call) return;
      this.call = undefined;
      const wasRegistered = this.registeredWith !== undefined;
      this.registeredWith = undefined;
      if (wasRegistered) {
        this.logger.warn({ reason }, `Lost the connection to the JobManager ${this.jobManagerAddress}: ${reason}.`);
        this.emit('disconnected', reason);
      }
      this.scheduleReconnect();
    };
    call.on('error', (e: grpc.ServiceError) => onGone(e.details || e.message));
    call.on('end', () => onGone('the JobManager closed the connection'));
    call.write({
      register: {
        task_manager_id: this.identity.id,
        host: this.identity.host,
        data_address: this.identity.dataAddress,
        number_of_slots: this.identity.slots,
        pid: process.pid,
      },
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 1_000);
    this.logger.debug({ delayMs: delay }, 'Reconnecting to the JobManager.');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private tick(): void {
    if (!this.call) return;
    if (this.registeredWith && this.clock.now() - this.lastHeard > this.heartbeatTimeoutMs) {
      const call = this.call;
      this.logger.warn(`The JobManager did not answer heartbeats for ${this.clock.now() - this.lastHeard} ms.`);
      call.cancel();
      return;
    }
    if (this.registeredWith) this.call.write({ heartbeat: { timestamp: this.clock.now() } });
  }
}
