import { TimeWindow } from '@tsflink/api';

/**
 * Turns a timer or state namespace (the window of a window operator, nothing for
 * a keyed process function) into the string under which keyed state stores it,
 * and back. Keys never start with U+0000 (reserved by `keyToMapKey`) and never
 * contain it, so they can be joined into unique ids.
 */
export interface NamespaceCodec<N> {
  encode(namespace: N): string;
  decode(key: string): N;
}

/** The single namespace of operators without windows (Flink's `VoidNamespace`). */
export const VOID_NAMESPACE: unique symbol = Symbol('VoidNamespace');
export type VoidNamespace = typeof VOID_NAMESPACE;

/** Codec of {@link VOID_NAMESPACE}: the empty string. */
export const VOID_NAMESPACE_CODEC: NamespaceCodec<VoidNamespace> = {
  encode: () => '',
  decode: (key) => {
    if (key !== '') throw new Error(`Not the void namespace: ${JSON.stringify(key)}`);
    return VOID_NAMESPACE;
  },
};

const RECENT_WINDOWS = 8;

/**
 * Codec of time windows: `"<start>:<end>"` (numbers as `String(n)`, which reads
 * back exactly). Remembers the last few windows it encoded, so the windows of a
 * stream moving through time (one tumbling window, the few sliding windows of a
 * slide) are encoded without building a new string per record.
 */
export class TimeWindowCodec implements NamespaceCodec<TimeWindow> {
  private readonly starts = new Float64Array(RECENT_WINDOWS);
  private readonly ends = new Float64Array(RECENT_WINDOWS);
  private readonly keys: string[] = new Array<string>(RECENT_WINDOWS).fill('');
  private filled = 0;
  private nextSlot = 0;

  encode(window: TimeWindow): string {
    const start = window.getStart();
    const end = window.getEnd();
    for (let i = 0; i < this.filled; i++) {
      if (this.starts[i] === start && this.ends[i] === end) return this.keys[i]!;
    }
    const key = `${start}:${end}`;
    const slot = this.nextSlot;
    this.starts[slot] = start;
    this.ends[slot] = end;
    this.keys[slot] = key;
    this.nextSlot = (slot + 1) % RECENT_WINDOWS;
    if (this.filled < RECENT_WINDOWS) this.filled++;
    return key;
  }

  decode(key: string): TimeWindow {
    // The separator is the first ':' after the first character (a start may be negative, never contains ':').
    const separator = key.indexOf(':', 1);
    const start = Number(key.slice(0, separator));
    const end = Number(key.slice(separator + 1));
    if (separator < 0 || Number.isNaN(start) || Number.isNaN(end)) throw new Error(`Not a time-window key: ${JSON.stringify(key)}`);
    return new TimeWindow(start, end);
  }
}
