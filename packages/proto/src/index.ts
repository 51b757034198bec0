/**
 * Typed gRPC stubs for tsflink's contracts in ../../proto. The types come from
 * src/generated (made by `pnpm gen`, never edited); the runtime definitions are
 * loaded from the .proto files with the same options, once per process.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as DispatcherProto } from './generated/dispatcher.js';
import type { ProtoGrpcType as GatewayProto } from './generated/taskmanager_gateway.js';
import type { ProtoGrpcType as DataExchangeProto } from './generated/data_exchange.js';

export * as grpc from '@grpc/grpc-js';
export * from './types.js';

/** Options shared by type generation (gen.mjs) and runtime loading. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The directory holding the .proto files (the repository's proto/, or PROTO_DIR). */
export function protoDirectory(): string {
  const fromEnv = process.env.TSFLINK_PROTO_DIR;
  if (fromEnv) return fromEnv;
  const dir = fileURLToPath(new URL('../../../proto', import.meta.url));
  if (!existsSync(dir)) throw new Error(`Cannot find the tsflink .proto files at ${dir}; set TSFLINK_PROTO_DIR.`);
  return dir;
}

export interface TsflinkProtos {
  dispatcher: DispatcherProto['tsflink']['v1']['Dispatcher'];
  gateway: GatewayProto['tsflink']['v1']['TaskManagerGateway'];
  dataExchange: DataExchangeProto['tsflink']['v1']['DataExchange'];
}

let loaded: TsflinkProtos | undefined;

/** Loads (once) and returns the service constructors and definitions. */
export function protos(): TsflinkProtos {
  if (loaded) return loaded;
  const dir = protoDirectory();
  const load = <T>(file: string): T =>
    grpc.loadPackageDefinition(protoLoader.loadSync(file, { ...LOADER_OPTIONS, includeDirs: [dir] })) as unknown as T;
  loaded = {
    dispatcher: load<DispatcherProto>('dispatcher.proto').tsflink.v1.Dispatcher,
    gateway: load<GatewayProto>('taskmanager_gateway.proto').tsflink.v1.TaskManagerGateway,
    dataExchange: load<DataExchangeProto>('data_exchange.proto').tsflink.v1.DataExchange,
  };
  return loaded;
}

/** Channel options for control-plane clients: fail fast, keep connections alive. */
export const CONTROL_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 512 * 1024 * 1024,
  'grpc.max_send_message_length': 512 * 1024 * 1024,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};

/** Server options: accept large job bundles and state handles, allow client keepalives. */
export const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': 512 * 1024 * 1024,
  'grpc.max_send_message_length': 512 * 1024 * 1024,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 1_000,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
};

/**
 * Data-plane client options: the consumer owns a large HTTP/2 receive window so
 * the producer (writing on the response side) is not throttled (DESIGN.md 13).
 */
export const DATA_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  ...CONTROL_CHANNEL_OPTIONS,
  'grpc-node.flow_control_window': 8 * 1024 * 1024,
};
