import { EventEmitter } from 'node:events';
import type { Cancellable, Clock, Logger, TimerService } from '@tsflink/core';

/** A TaskManager known to the JobManager. */
export interface RegisteredTaskManager {
  id: string;
  host: string;
  /** host:port of its data-exchange server. */
  dataAddress: string;
  slots: number;
  pid: number;
  registeredAt: number;
  lastHeartbeat: number;
  /** Sends a control message down its Connect stream. */
  send: (message: import('@tsflink/proto').JobManagerMessage) => void;
  /** Closes its Connect stream (used when it is declared lost). */
  disconnect: (reason: string) => void;
}

export interface TaskManagerRegistryEvents {
  registered: [tm: RegisteredTaskManager];
  lost: [tm: RegisteredTaskManager, reason: string];
}

/**
 * The JobManager's view of its TaskManagers (Flink's ResourceManager, slot
 * side): registration, heartbeats, and loss detection by closed connection or
 * by heartbeat timeout. Slots are handed out by the scheduler through
 * `allocatedSlots`.
 */
export class TaskManagerRegistry extends EventEmitter<TaskManagerRegistryEvents> {
  private readonly taskManagers = new Map<string, RegisteredTaskManager>();
  private monitor?: Cancellable;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerService,
    private readonly heartbeatIntervalMs: number,
    private readonly heartbeatTimeoutMs: number,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Starts the heartbeat-timeout monitor. */
  start(): void {
    this.monitor = this.timers.setInterval(() => this.checkHeartbeats(), Math.max(50, Math.floor(this.heartbeatIntervalMs / 2)));
  }

  stop(): void {
    this.monitor?.cancel();
  }

  /** Registers (or re-registers) a TaskManager; a previous registration under the same id is replaced. */
  register(tm: Omit<RegisteredTaskManager, 'registeredAt' | 'lastHeartbeat'>): RegisteredTaskManager {
    const previous = this.taskManagers.get(tm.id);
    if (previous) this.markLost(previous, 'it registered again (reconnected)');
    const now = this.clock.now();
    const entry: RegisteredTaskManager = { ...tm, registeredAt: now, lastHeartbeat: now };
    this.taskManagers.set(tm.id, entry);
    this.logger.info({ taskManagerId: tm.id, host: tm.host, dataAddress: tm.dataAddress, slots: tm.slots, pid: tm.pid },
      `Registered TaskManager ${tm.id} at ${tm.host} with ${tm.slots} slot(s).`);
    this.emit('registered', entry);
    return entry;
  }

  heartbeat(id: string): void {
    const tm = this.taskManagers.get(id);
    if (tm) tm.lastHeartbeat = this.clock.now();
  }

  /** Called when a TaskManager's Connect stream closed. */
  connectionClosed(id: string, entry: RegisteredTaskManager, reason: string): void {
    if (this.taskManagers.get(id) === entry) this.markLost(entry, reason);
  }

  get(id: string): RegisteredTaskManager | undefined {
    return this.taskManagers.get(id);
  }

  list(): RegisteredTaskManager[] {
    return [...this.taskManagers.values()].sort((a, b) => a.registeredAt - b.registeredAt || a.id.localeCompare(b.id));
  }

  totalSlots(): number {
    let n = 0;
    for (const tm of this.taskManagers.values()) n += tm.slots;
    return n;
  }

  /** Sends a message to every registered TaskManager. */
  broadcast(message: import('@tsflink/proto').JobManagerMessage): void {
    for (const tm of this.taskManagers.values()) tm.send(message);
  }

  private checkHeartbeats(): void {
    const now = this.clock.now();
    for (const tm of [...this.taskManagers.values()]) {
      if (now - tm.lastHeartbeat > this.heartbeatTimeoutMs) {
        this.markLost(tm, `no heartbeat for ${now - tm.lastHeartbeat} ms (heartbeat.timeout is ${this.heartbeatTimeoutMs} ms)`);
      }
    }
  }

  private markLost(tm: RegisteredTaskManager, reason: string): void {
    if (this.taskManagers.get(tm.id) !== tm) return;
    this.taskManagers.delete(tm.id);
    this.logger.warn({ taskManagerId: tm.id, host: tm.host, reason }, `TaskManager ${tm.id} at ${tm.host} is lost: ${reason}.`);
    tm.disconnect(reason);
    this.emit('lost', tm, reason);
  }
}
