import { ListStateDescriptor, MAX_WATERMARK, MIN_WATERMARK, type ListState } from '@tsflink/api';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import type { OperatorContext } from '../operators/operator-context.js';
import { StreamOperator, type OperatorRestore, type OperatorSnapshot } from '../operators/stream-operator.js';
import { InternalTimerService, type InternalTimer, type Triggerable } from './internal-timer-service.js';
import type { NamespaceCodec } from './namespace-codec.js';
import type { OperatorServices, SideOutputEmitter } from './operator-services.js';

/** Union operator state holding each subtask's watermark at the checkpoint. */
export const WATERMARK_STATE_NAME = '_event-time/watermark';

/**
 * Base of keyed operators with timers (keyed process, window): owns the
 * {@link InternalTimerService} over the operator's keyed backend, and event time.
 *
 * - Watermarks: a watermark that does not advance is ignored; one that does
 *   first fires the event-time timers it passes, then goes downstream.
 * - Checkpoints: timers are keyed state, so the keyed snapshot holds them. The
 *   operator's watermark is kept in union operator state; a restore (at any
 *   parallelism) starts from the lowest watermark of the old subtasks, so records
 *   that were late before the checkpoint are still late after it. The end-of-time
 *   watermark is kept as `MIN_WATERMARK`: a job resumed from a drained savepoint
 *   starts event time afresh.
 * - After a restore the timer queues are rebuilt from keyed state and pending
 *   processing-time timers are scheduled (those already due fire at once).
 */
export abstract class KeyedTimerOperator<N> extends StreamOperator implements Triggerable<N> {
  protected readonly backend: HeapKeyedStateBackend;
  protected readonly timerService: InternalTimerService<N>;
  protected readonly sideOutput: SideOutputEmitter;
  protected readonly namespaceCodec: NamespaceCodec<N>;
  private watermarkState: ListState<number> | undefined;

  /**
   * @param timerServiceName names the timer states in keyed state (see `InternalTimerService`)
   */
  constructor(
    ctx: OperatorContext,
    userFunction: object | undefined,
    services: OperatorServices,
    timerServiceName: string,
    namespaceCodec: NamespaceCodec<N>,
  ) {
    super(ctx, userFunction);
    if (this.keyedBackend === undefined) {
      throw new Error(`Operator ${ctx.spec.name} (${ctx.spec.id}) uses timers and keyed state, so it must read a keyed stream (keyBy).`);
    }
    this.backend = this.keyedBackend;
    this.sideOutput = services.sideOutput;
    this.namespaceCodec = namespaceCodec;
    this.timerService = new InternalTimerService<N>({
      name: timerServiceName,
      backend: this.backend,
      namespaceCodec,
      scheduler: services.processingTimeScheduler,
      triggerable: this,
    });
  }

  /**
   * Number of entries in the operator's keyed state: all states, or the one
   * named (timers, window contents, user state). For metrics and tests.
   */
  keyedStateEntries(stateName?: string): number {
    return this.backend.numKeys(stateName);
  }

  abstract onEventTime(timer: InternalTimer<N>): void;
  abstract onProcessingTime(timer: InternalTimer<N>): void;

  override async initializeState(restore: OperatorRestore | undefined): Promise<void> {
    const watermarkState = this.operatorStateBackend.getUnionListState(new ListStateDescriptor<number>(WATERMARK_STATE_NAME));
    this.watermarkState = watermarkState;
    await super.initializeState(restore);
    if (restore === undefined) return;
    let restoredWatermark: number | undefined;
    for (const w of watermarkState.get()) if (restoredWatermark === undefined || w < restoredWatermark) restoredWatermark = w;
    if (restoredWatermark !== undefined && restoredWatermark > this.currentWatermark) {
      this.currentWatermark = restoredWatermark;
      this.timerService.initializeWatermark(restoredWatermark);
    }
    this.timerService.restoreTimers();
  }

  override processWatermark(watermark: number): void {
    if (watermark <= this.currentWatermark) return;
    this.currentWatermark = watermark;
    this.timerService.advanceWatermark(watermark);
    this.output.emitWatermark(watermark);
  }

  override async snapshotState(checkpointId: number, timestamp: number): Promise<OperatorSnapshot> {
    // Every subtask writes its watermark (MIN_WATERMARK too), so the minimum on restore covers all of them.
    const w = this.currentWatermark;
    this.watermarkState?.update([w === MAX_WATERMARK ? MIN_WATERMARK : w]);
    return super.snapshotState(checkpointId, timestamp);
  }

  override async close(): Promise<void> {
    this.timerService.close();
    await super.close();
  }
}
