import type { Logger } from '@tsflink/core';
import { grpc } from '@tsflink/proto';
import type {
  JobManagerMessage, TaskManagerGatewayHandlers, TaskManagerMessage__Output,
} from '@tsflink/proto';
import type { RegisteredTaskManager, TaskManagerRegistry } from '../resource-manager/task-manager-registry.js';

/** Receives what TaskManagers report once registered (task states, checkpoint acks/declines). */
export interface TaskManagerMessageListener {
  onTaskManagerMessage(tm: RegisteredTaskManager, message: TaskManagerMessage__Output): void;
}

export interface GatewayServiceDeps {
  registry: TaskManagerRegistry;
  jobManagerId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  logger: Logger;
  listener: () => TaskManagerMessageListener | undefined;
  /** Serves GetJobArtifact. */
  jobArtifact: (jobId: string) => import('@tsflink/proto').JobArtifact | undefined;
}

/** The TaskManagerGateway service: one long-lived Connect stream per TaskManager. */
export function createTaskManagerGatewayService(deps: GatewayServiceDeps): TaskManagerGatewayHandlers {
  return {
    Connect(call) {
      let entry: RegisteredTaskManager | undefined;
      let closed = false;
      const close = (reason: string) => {
        if (closed) return;
        closed = true;
        if (entry) deps.registry.connectionClosed(entry.id, entry, reason);
      };
      const send = (message: JobManagerMessage) => {
        if (!closed && call.writable) call.write(message);
      };

      call.on('data', (message: TaskManagerMessage__Output) => {
        if (message.body === 'register' && message.register) {
          const r = message.register;
          entry = deps.registry.register({
            id: r.task_manager_id,
            host: r.host,
            dataAddress: r.data_address,
            slots: r.number_of_slots,
            pid: r.pid,
            send,
            disconnect: (reason) => {
              closed = true;
              // grpc-js ends a server stream with an error status when 'error' is emitted on it.
              call.emit('error', { code: grpc.status.UNAVAILABLE, details: `The JobManager dropped this TaskManager: ${reason}.` });
              deps.logger.debug({ taskManagerId: r.task_manager_id, reason }, 'Closed TaskManager connection.');
            },
          });
          send({
            registered: {
              job_manager_id: deps.jobManagerId,
              heartbeat_interval_ms: deps.heartbeatIntervalMs,
              heartbeat_timeout_ms: deps.heartbeatTimeoutMs,
            },
          });
          return;
        }
        if (!entry) {
          deps.logger.warn({ body: message.body }, 'Ignoring a message from a TaskManager that has not registered.');
          return;
        }
        if (message.body === 'heartbeat') {
          deps.registry.heartbeat(entry.id);
          send({ heartbeat: { timestamp: Date.now() } });
          return;
        }
        deps.registry.heartbeat(entry.id);
        deps.listener()?.onTaskManagerMessage(entry, message);
      });
      call.on('end', () => { close('its connection was closed'); try { call.end(); } catch { /* closed */ } });
      call.on('error', (e?: Error) => close(`its connection failed${e?.message ? `: ${e.message}` : ''}`));
      call.on('close', () => close('its connection was closed'));
    },

    GetJobArtifact(call, callback) {
      const artifact = deps.jobArtifact(call.request.job_id);
      if (!artifact) {
        callback({ code: grpc.status.NOT_FOUND, details: `Could not find Flink job (${call.request.job_id})` });
        return;
      }
      callback(null, artifact);
    },
  };
}
