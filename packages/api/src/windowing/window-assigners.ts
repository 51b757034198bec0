/**
 * Window assigners (Flink's `WindowAssigner` family) as descriptive, immutable
 * objects: `type`, time domain and sizes, plus the pure `assignWindows` rule.
 * The window operator in the runtime reads them from the 'window' OperatorSpec.
 * Processing-time assigners are given the current processing time as
 * `timestamp`. All sizes are milliseconds (see `Time`).
 */
import { TimeWindow } from './time-window.js';

export type WindowAssignerType = 'tumbling' | 'sliding' | 'session';
export type WindowTimeDomain = 'event-time' | 'processing-time';

export interface WindowAssigner {
  readonly type: WindowAssignerType;
  readonly timeDomain: WindowTimeDomain;
  isEventTime(): boolean;
  /** Session windows merge when they overlap. */
  isMerging(): boolean;
  /** The windows an element with `timestamp` belongs to. */
  assignWindows(timestamp: number): TimeWindow[];
  /** Flink-style description, e.g. "TumblingEventTimeWindows(5000)". */
  toString(): string;
}

function checkPositive(value: number, what: string, assigner: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${assigner} needs a positive ${what} in milliseconds, got ${value}.`);
}

/** Fixed-size, non-overlapping windows aligned to the epoch plus `offset`. */
abstract class TumblingWindowAssigner implements WindowAssigner {
  readonly type = 'tumbling' as const;
  abstract readonly timeDomain: WindowTimeDomain;

  protected constructor(readonly size: number, readonly offset: number, name: string) {
    checkPositive(size, 'size', name);
    if (!Number.isFinite(offset) || Math.abs(offset) >= size) throw new Error(`${name} parameters must satisfy abs(offset) < size`);
  }

  isEventTime(): boolean {
    return this.timeDomain === 'event-time';
  }

  isMerging(): boolean {
    return false;
  }

  assignWindows(timestamp: number): TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    return [new TimeWindow(start, start + this.size)];
  }

  toString(): string {
    return `${this.constructor.name}(${this.size}${this.offset === 0 ? '' : `, ${this.offset}`})`;
  }
}

export class TumblingEventTimeWindows extends TumblingWindowAssigner {
  readonly timeDomain = 'event-time' as const;
  private constructor(size: number, offset: number) { super(size, offset, 'TumblingEventTimeWindows'); }
  static of(size: number, offset = 0): TumblingEventTimeWindows { return new TumblingEventTimeWindows(size, offset); }
}

export class TumblingProcessingTimeWindows extends TumblingWindowAssigner {
  readonly timeDomain = 'processing-time' as const;
  private constructor(size: number, offset: number) { super(size, offset, 'TumblingProcessingTimeWindows'); }
  static of(size: number, offset = 0): TumblingProcessingTimeWindows { return new TumblingProcessingTimeWindows(size, offset); }
}

/** Windows of `size` starting every `slide`; an element belongs to `ceil(size / slide)` of them. */
abstract class SlidingWindowAssigner implements WindowAssigner {
  readonly type = 'sliding' as const;
  abstract readonly timeDomain: WindowTimeDomain;

  protected constructor(readonly size: number, readonly slide: number, readonly offset: number, name: string) {
    checkPositive(size, 'size', name);
    checkPositive(slide, 'slide', name);
    if (!Number.isFinite(offset) || Math.abs(offset) >= slide) throw new Error(`${name} parameters must satisfy abs(offset) < slide and size > 0`);
  }

  isEventTime(): boolean {
    return this.timeDomain === 'event-time';
  }

  isMerging(): boolean {
    return false;
  }

  assignWindows(timestamp: number): TimeWindow[] {
    const windows: TimeWindow[] = [];
    const lastStart = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.slide);
    for (let start = lastStart; start > timestamp - this.size; start -= this.slide) {
      windows.push(new TimeWindow(start, start + this.size));
    }
    return windows;
  }

  toString(): string {
    return `${this.constructor.name}(${this.size}, ${this.slide}${this.offset === 0 ? '' : `, ${this.offset}`})`;
  }
}

export class SlidingEventTimeWindows extends SlidingWindowAssigner {
  readonly timeDomain = 'event-time' as const;
  private constructor(size: number, slide: number, offset: number) { super(size, slide, offset, 'SlidingEventTimeWindows'); }
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows { return new SlidingEventTimeWindows(size, slide, offset); }
}

export class SlidingProcessingTimeWindows extends SlidingWindowAssigner {
  readonly timeDomain = 'processing-time' as const;
  private constructor(size: number, slide: number, offset: number) { super(size, slide, offset, 'SlidingProcessingTimeWindows'); }
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows { return new SlidingProcessingTimeWindows(size, slide, offset); }
}

/** Each element opens `[timestamp, timestamp + gap)`; overlapping windows of a key merge into one session. */
abstract class SessionWindowAssigner implements WindowAssigner {
  readonly type = 'session' as const;
  abstract readonly timeDomain: WindowTimeDomain;

  protected constructor(readonly gap: number, name: string) {
    checkPositive(gap, 'gap', name);
  }

  isEventTime(): boolean {
    return this.timeDomain === 'event-time';
  }

  isMerging(): boolean {
    return true;
  }

  assignWindows(timestamp: number): TimeWindow[] {
    return [new TimeWindow(timestamp, timestamp + this.gap)];
  }

  toString(): string {
    return `${this.constructor.name}(${this.gap})`;
  }
}

export class EventTimeSessionWindows extends SessionWindowAssigner {
  readonly timeDomain = 'event-time' as const;
  private constructor(gap: number) { super(gap, 'EventTimeSessionWindows'); }
  static withGap(gap: number): EventTimeSessionWindows { return new EventTimeSessionWindows(gap); }
}

export class ProcessingTimeSessionWindows extends SessionWindowAssigner {
  readonly timeDomain = 'processing-time' as const;
  private constructor(gap: number) { super(gap, 'ProcessingTimeSessionWindows'); }
  static withGap(gap: number): ProcessingTimeSessionWindows { return new ProcessingTimeSessionWindows(gap); }
}
