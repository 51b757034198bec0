/**
 * How a stream gets event timestamps and watermarks (Flink's
 * `WatermarkStrategy`). A strategy is immutable data — a generator kind, an
 * optional timestamp assigner and an optional idle timeout — plus factories the
 * runtime calls once per subtask: `createWatermarkGenerator(clock)` and
 * `createTimestampAssigner()`. Used by `env.fromSource` and
 * `DataStream.assignTimestampsAndWatermarks`.
 */
import { BoundedOutOfOrdernessWatermarks, NoWatermarksGenerator, WatermarksWithIdleness } from './watermark-generators.js';
import type { TimestampAssigner, TimestampAssignerLambda, WatermarkGenerator } from './watermark.js';

/** Which generator a strategy creates. */
export type WatermarkGeneratorKind = 'none' | 'bounded-out-of-orderness' | 'custom';

interface StrategyFields<T> {
  readonly generatorKind: WatermarkGeneratorKind;
  readonly maxOutOfOrdernessMs: number;
  readonly customGenerator?: () => WatermarkGenerator<T>;
  readonly timestampAssigner?: TimestampAssigner<T>;
  readonly idlenessMs?: number;
}

export class WatermarkStrategy<T> {
  readonly generatorKind: WatermarkGeneratorKind;
  /** For 'bounded-out-of-orderness' (0 for monotonous timestamps). */
  readonly maxOutOfOrdernessMs: number;
  /** Set by `withTimestampAssigner`; without it records keep the timestamp they carry. */
  readonly timestampAssigner: TimestampAssigner<T> | undefined;
  /** Set by `withIdleness`. */
  readonly idlenessMs: number | undefined;
  private readonly customGenerator: (() => WatermarkGenerator<T>) | undefined;

  private constructor(fields: StrategyFields<T>) {
    this.generatorKind = fields.generatorKind;
    this.maxOutOfOrdernessMs = fields.maxOutOfOrdernessMs;
    this.customGenerator = fields.customGenerator;
    this.timestampAssigner = fields.timestampAssigner;
    this.idlenessMs = fields.idlenessMs;
  }

  /** No watermarks: for processing-time jobs. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ generatorKind: 'none', maxOutOfOrdernessMs: 0 });
  }

  /** Timestamps never decrease: the watermark trails the highest timestamp by 1 ms. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>({ generatorKind: 'bounded-out-of-orderness', maxOutOfOrdernessMs: 0 });
  }

  /** Records may arrive up to `maxOutOfOrdernessMs` late relative to the highest timestamp seen. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    if (!Number.isFinite(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw new Error(`maxOutOfOrderness must be a non-negative number of milliseconds, got ${maxOutOfOrdernessMs}.`);
    }
    return new WatermarkStrategy<T>({ generatorKind: 'bounded-out-of-orderness', maxOutOfOrdernessMs });
  }

  /** A user-defined generator, created once per subtask. */
  static forGenerator<T>(createGenerator: () => WatermarkGenerator<T>): WatermarkStrategy<T> {
    if (typeof createGenerator !== 'function') throw new TypeError('forGenerator() expects a function that creates a WatermarkGenerator.');
    return new WatermarkStrategy<T>({ generatorKind: 'custom', maxOutOfOrdernessMs: 0, customGenerator: createGenerator });
  }

  /** Returns a copy that takes event timestamps from `assigner(element, recordTimestamp)`. */
  withTimestampAssigner(assigner: TimestampAssigner<T> | TimestampAssignerLambda<T>): WatermarkStrategy<T> {
    const normalized: TimestampAssigner<T> = typeof assigner === 'function' ? { extractTimestamp: assigner } : assigner;
    if (normalized === null || typeof normalized.extractTimestamp !== 'function') {
      throw new TypeError('withTimestampAssigner() expects a function (element, recordTimestamp) => timestamp, or an object with extractTimestamp().');
    }
    return new WatermarkStrategy<T>({ ...this.fields(), timestampAssigner: normalized });
  }

  /** Returns a copy that marks an input idle after `idleTimeoutMs` without records. */
  withIdleness(idleTimeoutMs: number): WatermarkStrategy<T> {
    if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0) {
      throw new Error(`The idle timeout must be a positive number of milliseconds, got ${idleTimeoutMs}.`);
    }
    return new WatermarkStrategy<T>({ ...this.fields(), idlenessMs: idleTimeoutMs });
  }

  /** A fresh generator for one subtask; `clock` (processing time, ms) drives idleness. */
  createWatermarkGenerator(clock: () => number = Date.now): WatermarkGenerator<T> {
    const base = this.createBaseGenerator();
    return this.idlenessMs === undefined ? base : new WatermarksWithIdleness(base, this.idlenessMs, clock);
  }

  /** The assigner for one subtask; without `withTimestampAssigner` records keep their own timestamp. */
  createTimestampAssigner(): TimestampAssigner<T> {
    return this.timestampAssigner ?? { extractTimestamp: (_element, recordTimestamp) => recordTimestamp };
  }

  /** A short description, e.g. "BoundedOutOfOrderness(5000 ms), idleness 60000 ms". */
  toString(): string {
    const base = this.generatorKind === 'none' ? 'NoWatermarks'
      : this.generatorKind === 'custom' ? 'CustomGenerator'
        : this.maxOutOfOrdernessMs === 0 ? 'MonotonousTimestamps'
          : `BoundedOutOfOrderness(${this.maxOutOfOrdernessMs} ms)`;
    return this.idlenessMs === undefined ? base : `${base}, idleness ${this.idlenessMs} ms`;
  }

  private createBaseGenerator(): WatermarkGenerator<T> {
    switch (this.generatorKind) {
      case 'none': return new NoWatermarksGenerator<T>();
      case 'bounded-out-of-orderness': return new BoundedOutOfOrdernessWatermarks<T>(this.maxOutOfOrdernessMs);
      case 'custom': return this.customGenerator!();
    }
  }

  private fields(): StrategyFields<T> {
    return {
      generatorKind: this.generatorKind,
      maxOutOfOrdernessMs: this.maxOutOfOrdernessMs,
      customGenerator: this.customGenerator,
      timestampAssigner: this.timestampAssigner,
      idlenessMs: this.idlenessMs,
    };
  }
}

/** True for watermark strategies (checked by shape, so a strategy from another copy of the API works too). */
export function isWatermarkStrategy(value: unknown): value is WatermarkStrategy<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<WatermarkStrategy<unknown>>;
  return typeof s.createWatermarkGenerator === 'function' && typeof s.createTimestampAssigner === 'function';
}
