// Network: partitions, channels, frames.
export type { StreamItem, RecordBatch, CheckpointBarrier, WatermarkEvent, StreamEvent } from './network/stream-item.js';
export { END_OF_PARTITION, NO_TIMESTAMP } from './network/stream-item.js';
export { ResultSubpartition } from './network/result-subpartition.js';
export { ResultPartition, PartitionRegistry } from './network/result-partition.js';
export type { InputChannel } from './network/input-channel.js';
export { LocalInputChannel, QueueInputChannel } from './network/input-channel.js';
export { FrameEncoder, FrameDecoder } from './network/frame-codec.js';
// Tasks.
export { StreamTask } from './tasks/stream-task.js';
export type { TaskDeployment, TaskServices, TaskResult } from './tasks/stream-task.js';
export type { OperatorRestore, OperatorSnapshot } from './operators/stream-operator.js';
// State: key groups, backends, snapshots.
export { KeyGroupRange } from './state/key-group-range.js';
export {
  assignToKeyGroup, computeDefaultMaxParallelism, computeKeyGroupRangeForOperatorIndex, computeOperatorIndexForKeyGroup,
} from './state/key-group-assignment.js';
export { HeapKeyedStateBackend } from './state/heap-keyed-state-backend.js';
export { DefaultOperatorStateBackend } from './state/operator-state-backend.js';
export type { StateOutputStream, StateByteReader } from './state/state-output-stream.js';
// Serialization.
export { encodeValue, decodeValue } from './serialization/value-codec.js';
export { RecordBatchEncoder, encodeRecordBatch } from './serialization/record-batch-encoder.js';
export { RecordBatchDecoder, decodeRecordBatch } from './serialization/record-batch-decoder.js';
// Checkpoints: layout, metadata.
export { CheckpointLayout, METADATA_FILE_NAME } from './checkpoint/checkpoint-layout.js';
export {
  encodeMetadata, decodeMetadata, InvalidMetadataError, METADATA_FORMAT_VERSION,
} from './checkpoint/checkpoint-metadata.js';
export type {
  CheckpointMetadata, CheckpointKind, OperatorState, SubtaskState, KeyedStateHandle, OperatorListStateHandle, StreamHandle,
} from './checkpoint/checkpoint-metadata.js';
export { redistributeOperatorState } from './state/operator-state-redistribution.js';
export type { OperatorStateHandle as OperatorStateAssignment } from './state/operator-state-redistribution.js';
export type { KeyedStateSource } from './state/keyed-state-restore.js';
export type { OperatorStateSource } from './state/operator-state-restore.js';
export { StateFormatError } from './state/state-errors.js';
