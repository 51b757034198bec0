import type { Logger } from '@tsflink/core';
import { FrameEncoder, type PartitionRegistry } from '@tsflink/runtime';
import { grpc } from '@tsflink/proto';
import type { DataExchangeHandlers } from '@tsflink/proto';

/** How long a partition request waits for its producer task to be deployed here. */
const PRODUCER_WAIT_MS = 60_000;

/**
 * The producer side of the data plane: serves RequestPartition by streaming one
 * subpartition's items as frames. It writes only while the stream drains, so a
 * slow consumer (HTTP/2 flow control) stops the pump, the subpartition fills,
 * and the producing task waits: back-pressure end to end.
 */
export function createPartitionServer(partitions: PartitionRegistry, logger: Logger): DataExchangeHandlers {
  return {
    RequestPartition(call) {
      const req = call.request;
      let cancelled = false;
      call.on('cancelled', () => { cancelled = true; });
      call.on('close', () => { cancelled = true; });
      partitions.lookup(req.producer_attempt_id, req.edge_index, PRODUCER_WAIT_MS).then((partition) => {
        const sp = partition.subpartitions[req.subpartition];
        if (!sp) {
          call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: `Subpartition ${req.subpartition} does not exist (the partition has ${partition.subpartitions.length}).` });
          return;
        }
        const encoder = new FrameEncoder();
        let waitingForDrain = false;
        let done = false;
        const pump = () => {
          if (waitingForDrain || cancelled || done) return;
          for (let item = sp.poll(); item !== undefined; item = sp.poll()) {
            const ok = call.write({ payload: encoder.encode(item) });
            if (item.kind === 'end-of-partition') {
              done = true;
              sp.setAvailabilityListener(undefined);
              call.end();
              return;
            }
            if (!ok) {
              waitingForDrain = true;
              call.once('drain', () => { waitingForDrain = false; pump(); });
              return;
            }
            if (cancelled) return;
          }
        };
        sp.setAvailabilityListener(() => pump());
        // The consumer went away before the end of the partition (it failed or was cancelled):
        // nobody will read this subpartition again, so its producer must not wait on it.
        call.on('cancelled', () => { sp.setAvailabilityListener(undefined); if (!done) sp.release(); });
      }, (e: Error) => {
        logger.warn({ producerAttemptId: req.producer_attempt_id, edge: req.edge_index }, e.message);
        call.emit('error', { code: grpc.status.NOT_FOUND, details: e.message });
      });
    },
  };
}
