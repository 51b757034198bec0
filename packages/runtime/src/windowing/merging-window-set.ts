import { TimeWindow, type ValueState } from '@tsflink/api';

/**
 * Called when windows merge: `mergeResult` replaces `mergedWindows` (the
 * pre-existing windows that merged; never the new window), its contents live in
 * `stateWindowResult`, and the contents of `mergedStateWindows` must be merged
 * into it.
 */
export type MergeFunction = (
  mergeResult: TimeWindow,
  mergedWindows: readonly TimeWindow[],
  stateWindowResult: TimeWindow,
  mergedStateWindows: readonly TimeWindow[],
) => void;

/**
 * The in-flight windows of one key of a merging assigner (session windows), and
 * for each the "state window" under which its contents are stored (Flink's
 * `MergingWindowSet`). When windows merge, the contents stay where one of them
 * kept them, so only the others need merging and no state moves needlessly.
 *
 * The set lives in keyed value state as a flat array
 * `[start, end, stateStart, stateEnd, …]` (plain data, checkpointed by key group).
 * One instance serves the operator: {@link load} it for the current key, change
 * it, then {@link persist}.
 */
export class MergingWindowSet {
  private readonly windows: TimeWindow[] = [];
  private readonly stateWindows: TimeWindow[] = [];
  private changed = false;

  constructor(private readonly state: ValueState<number[] | undefined>) {}

  /** Reads the windows of the backend's current key, discarding unpersisted changes. */
  load(): void {
    this.windows.length = 0;
    this.stateWindows.length = 0;
    this.changed = false;
    const flat = this.state.value();
    if (flat === undefined) return;
    for (let i = 0; i + 3 < flat.length; i += 4) {
      this.windows.push(new TimeWindow(flat[i]!, flat[i + 1]!));
      this.stateWindows.push(new TimeWindow(flat[i + 2]!, flat[i + 3]!));
    }
  }

  /** Writes the windows back to the current key's state if they changed since {@link load}. */
  persist(): void {
    if (!this.changed) return;
    this.changed = false;
    if (this.windows.length === 0) {
      this.state.clear();
      return;
    }
    const flat = new Array<number>(this.windows.length * 4);
    for (let i = 0; i < this.windows.length; i++) {
      const w = this.windows[i]!;
      const s = this.stateWindows[i]!;
      flat[4 * i] = w.getStart();
      flat[4 * i + 1] = w.getEnd();
      flat[4 * i + 2] = s.getStart();
      flat[4 * i + 3] = s.getEnd();
    }
    this.state.update(flat);
  }

  /** Number of in-flight windows. */
  get size(): number {
    return this.windows.length;
  }

  /** The in-flight windows, in no particular order. */
  get inFlightWindows(): readonly TimeWindow[] {
    return this.windows;
  }

  /** Where the contents of `window` are stored, or undefined when it is not in flight (merged away, retired). */
  getStateWindow(window: TimeWindow): TimeWindow | undefined {
    const index = this.indexOf(window);
    return index < 0 ? undefined : this.stateWindows[index];
  }

  /** Removes a window that fired for the last time or was too late to be kept. */
  retireWindow(window: TimeWindow): void {
    const index = this.indexOf(window);
    if (index < 0) throw new Error(`Window ${window} is not in the in-flight window set.`);
    this.removeAt(index);
  }

  /**
   * Adds `newWindow`, merging it with every in-flight window it overlaps or
   * touches (Flink's `TimeWindow.mergeWindows`), and returns the window the new
   * one ended up in. For each merge `merge` is called before it returns, unless
   * the new window only fell inside an existing one (nothing changes then).
   * The merged contents keep the state window of the earliest merged window.
   */
  addWindow(newWindow: TimeWindow, merge: MergeFunction): TimeWindow {
    const same = this.indexOf(newWindow);
    if (same >= 0) return this.windows[same]!;

    const sorted = this.windows.slice();
    sorted.push(newWindow);
    sorted.sort((a, b) => a.getStart() - b.getStart());

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    let anyMerge = false;
    let groupStart = 0;
    let cover = sorted[0]!;
    for (let i = 1; i <= sorted.length; i++) {
      const candidate = sorted[i];
      if (candidate !== undefined && cover.intersects(candidate)) {
        cover = cover.cover(candidate);
        continue;
      }
      if (i - groupStart > 1) {
        anyMerge = true;
        const members = sorted.slice(groupStart, i);
        const mergedWindows = members.filter((w) => w !== newWindow);
        if (mergedWindows.length !== members.length) {
          mergedNewWindow = true;
          resultWindow = cover;
        }
        this.mergeGroup(cover, mergedWindows, merge);
      }
      if (candidate !== undefined) {
        groupStart = i;
        cover = candidate;
      }
    }

    if (!anyMerge || !mergedNewWindow) {
      this.windows.push(newWindow);
      this.stateWindows.push(newWindow);
      this.changed = true;
    }
    return resultWindow;
  }

  /** Replaces `mergedWindows` (pre-existing, sorted by start) by `mergeResult`. */
  private mergeGroup(mergeResult: TimeWindow, mergedWindows: readonly TimeWindow[], merge: MergeFunction): void {
    const stateWindowResult = this.getStateWindow(mergedWindows[0]!)!;
    const mergedStateWindows: TimeWindow[] = [];
    for (const window of mergedWindows) {
      const index = this.indexOf(window);
      const stateWindow = this.stateWindows[index]!;
      this.removeAt(index);
      if (!stateWindow.equals(stateWindowResult)) mergedStateWindows.push(stateWindow);
    }
    this.windows.push(mergeResult);
    this.stateWindows.push(stateWindowResult);
    this.changed = true;
    // A new window inside one existing window changes nothing (no contents, no timers to move).
    if (mergedWindows.length === 1 && mergedWindows[0]!.equals(mergeResult)) return;
    merge(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
  }

  private indexOf(window: TimeWindow): number {
    for (let i = 0; i < this.windows.length; i++) if (this.windows[i]!.equals(window)) return i;
    return -1;
  }

  private removeAt(index: number): void {
    this.windows.splice(index, 1);
    this.stateWindows.splice(index, 1);
    this.changed = true;
  }
}
