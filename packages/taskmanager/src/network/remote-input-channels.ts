import type { Logger } from '@tsflink/core';
import { FrameDecoder, QueueInputChannel } from '@tsflink/runtime';
import { DATA_CHANNEL_OPTIONS, grpc, protos } from '@tsflink/proto';
import type { DataExchangeClient, DataFrame__Output, PartitionRequest } from '@tsflink/proto';

/**
 * The consumer side of the data plane: opens a RequestPartition stream to the
 * producer's TaskManager and feeds a QueueInputChannel. One gRPC client (one
 * HTTP/2 connection, large receive window) per remote TaskManager.
 */
export class RemoteInputChannels {
  private readonly clients = new Map<string, DataExchangeClient>();

  constructor(private readonly logger: Logger) {}

  open(address: string, request: PartitionRequest): QueueInputChannel {
    const client = this.client(address);
    let call: grpc.ClientReadableStream<DataFrame__Output> | undefined;
    let closed = false;
    const channel = new QueueInputChannel({
      pause: () => call?.pause(),
      resume: () => call?.resume(),
      close: () => { closed = true; call?.cancel(); },
    });
    const decoder = new FrameDecoder();
    let ended = false;
    call = client.RequestPartition(request);
    call.on('data', (frame: DataFrame__Output) => {
      try {
        const item = decoder.decode(frame.payload);
        if (item.kind === 'end-of-partition') ended = true;
        channel.push(item);
      } catch (e) {
        channel.fail(e as Error);
        call?.cancel();
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      if (closed || ended) return;
      channel.fail(new Error(`Lost the data connection to the producer at ${address} (edge ${request.edge_index}, subpartition ${request.subpartition}): ${e.details || e.message}`));
    });
    call.on('end', () => {
      if (!ended && !closed) channel.fail(new Error(`The producer at ${address} closed its partition stream before the end of the partition.`));
    });
    return channel;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(address: string): DataExchangeClient {
    let c = this.clients.get(address);
    if (!c) {
      c = new (protos().dataExchange)(address, grpc.credentials.createInsecure(), DATA_CHANNEL_OPTIONS);
      this.clients.set(address, c);
      this.logger.debug({ address }, `Opened a data connection to ${address}.`);
    }
    return c;
  }
}
