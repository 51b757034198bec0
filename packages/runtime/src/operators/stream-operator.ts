import {
  MIN_WATERMARK, closeFunction, isCheckpointListener, isCheckpointedFunction, openFunction,
  type FunctionInitializationContext,
} from '@tsflink/api';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { DefaultOperatorStateBackend } from '../state/operator-state-backend.js';
import type { HeapKeyedStateSnapshot } from '../state/keyed-state-snapshot.js';
import type { OperatorStateSnapshot } from '../state/operator-state-snapshot.js';
import type { KeyedStateSource } from '../state/keyed-state-restore.js';
import type { OperatorStateSource } from '../state/operator-state-restore.js';
import { computeKeyGroupRangeForOperatorIndex } from '../state/key-group-assignment.js';
import { NO_OUTPUT, type Output } from './output.js';
import type { OperatorContext } from './operator-context.js';
import { StreamingRuntimeContext } from './streaming-runtime-context.js';

/** What an operator restores from: its own keyed key-group slices and operator-state parts. */
export interface OperatorRestore {
  keyed: KeyedStateSource[];
  operator: OperatorStateSource[];
}

/** The synchronous part of an operator's snapshot; the task writes it asynchronously. */
export interface OperatorSnapshot {
  operatorId: string;
  keyed?: HeapKeyedStateSnapshot;
  operator?: OperatorStateSnapshot;
}

/**
 * Base of every operator in a chain (Flink's AbstractStreamOperator +
 * AbstractUdfStreamOperator). Owns the operator's own state backends — state is
 * per operator, never per chain — and drives the user function's lifecycle:
 * setRuntimeContext/open, CheckpointedFunction, CheckpointListener, close.
 */
export abstract class StreamOperator {
  output: Output = NO_OUTPUT;
  protected keyedBackend?: HeapKeyedStateBackend;
  protected readonly operatorStateBackend = new DefaultOperatorStateBackend();
  protected readonly runtimeContext: StreamingRuntimeContext;
  protected currentWatermark = MIN_WATERMARK;
  private restored = false;
  /** The key of an input record, for operators on a keyed stream. */
  private readonly keyOf?: (value: unknown) => unknown;

  constructor(protected readonly ctx: OperatorContext, protected readonly userFunction?: object) {
    this.runtimeContext = new StreamingRuntimeContext(ctx, () => this.keyedBackend);
    const selector = ctx.spec.keySelector;
    if (selector) {
      this.keyOf = (v) => selector.getKey(v as never);
      this.keyedBackend = new HeapKeyedStateBackend({
        keyGroupRange: computeKeyGroupRangeForOperatorIndex(ctx.maxParallelism, ctx.parallelism, ctx.subtaskIndex),
        maxParallelism: ctx.maxParallelism,
      });
    }
  }

  get id(): string {
    return this.ctx.spec.id;
  }

  get name(): string {
    return this.ctx.spec.name;
  }

  /** Restores state (if any), then gives a CheckpointedFunction its initializeState call. */
  async initializeState(restore: OperatorRestore | undefined): Promise<void> {
    if (restore) {
      if (restore.keyed.length > 0) {
        if (!this.keyedBackend) throw new Error(`Operator ${this.name} (${this.id}) has keyed state in the checkpoint but reads a non-keyed stream.`);
        await this.keyedBackend.restoreKeyGroups(restore.keyed);
      }
      if (restore.operator.length > 0) await this.operatorStateBackend.restore(restore.operator);
      this.restored = true;
    }
    const fn = this.userFunction;
    if (fn && isCheckpointedFunction(fn)) {
      const keyed = this.keyedBackend;
      const initContext: FunctionInitializationContext = {
        isRestored: () => this.restored,
        getOperatorStateStore: () => this.operatorStateBackend,
        getKeyedStateStore: () => keyed,
      };
      await fn.initializeState(initContext);
    }
  }

  /** Opens the user function (after initializeState, as Flink does). */
  async open(): Promise<void> {
    if (this.userFunction) await openFunction(this.userFunction, this.runtimeContext);
  }

  /**
   * Called with each batch of input records before they are processed one by one:
   * on a keyed stream, brings the state of the batch's keys into the CPU caches
   * (see `HeapKeyedStateBackend.prefetch`).
   */
  prepareBatch(values: readonly unknown[]): void {
    if (this.keyOf) this.keyedBackend!.prefetch(values, this.keyOf as (value: unknown) => never);
  }

  /** One input record: on a keyed stream its key becomes the current key first. */
  processElement(value: unknown, timestamp: number): void {
    if (this.keyOf) this.keyedBackend!.setCurrentKey(this.keyOf(value) as never);
    this.process(value, timestamp);
  }

  /**
   * {@link processElement} for a record that arrived over a keyBy edge with the
   * key group its producer routed it by (the same key selector and max
   * parallelism: the edge's keyBy is this operator's), so the key is not hashed again.
   */
  processElementInKeyGroup(value: unknown, timestamp: number, keyGroup: number): void {
    if (this.keyOf) this.keyedBackend!.setCurrentKeyAndGroup(this.keyOf(value) as never, keyGroup);
    this.process(value, timestamp);
  }

  /** What the operator does with a record (the current key is set on keyed streams). */
  protected abstract process(value: unknown, timestamp: number): void;

  processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  /** The input went idle (or active again): passed on, so downstream stops (or resumes) waiting for it. */
  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus(idle);
  }

  /** Bounded input ended: flush anything buffered. */
  async endInput(): Promise<void> {}

  async close(): Promise<void> {
    if (this.userFunction) await closeFunction(this.userFunction);
  }

  /** The synchronous part of a checkpoint: the user function's snapshotState, then the backends' captures. */
  async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    const fn = this.userFunction;
    if (fn && isCheckpointedFunction(fn)) {
      await fn.snapshotState({ getCheckpointId: () => checkpointId, getCheckpointTimestamp: () => timestamp });
    }
    return {
      operatorId: this.id,
      keyed: this.keyedBackend && this.keyedBackend.numKeys() > 0 ? this.keyedBackend.snapshot(checkpointId) : undefined,
      operator: this.operatorStateBackend.getRegisteredStateNames().length > 0 ? this.operatorStateBackend.snapshot(checkpointId) : undefined,
    };
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const fn = this.userFunction;
    if (fn && isCheckpointListener(fn)) await fn.notifyCheckpointComplete(checkpointId);
  }

  async notifyCheckpointAborted(checkpointId: number): Promise<void> {
    const fn = this.userFunction;
    if (fn && isCheckpointListener(fn) && fn.notifyCheckpointAborted) await fn.notifyCheckpointAborted(checkpointId);
  }
}
