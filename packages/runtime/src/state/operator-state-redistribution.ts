import type { OperatorStateMetaInfo } from './operator-state-format.js';

/**
 * The operator state written by one subtask, or a part of it assigned to a new
 * subtask: a reference to the stream (opaque here: a path, a handle object; parts
 * of the same stream share the reference) and, per state, mode and element offsets.
 */
export interface OperatorStateHandle<R> {
  readonly stream: R;
  readonly states: Readonly<Record<string, OperatorStateMetaInfo>>;
}

/**
 * Assigns the operator state of the old subtasks to `newParallelism` new subtasks,
 * as Flink's `RoundRobinOperatorStateRepartitioner`. Pure: it only moves offsets.
 *
 * - Same parallelism: every subtask keeps its own handle; union states of all other
 *   subtasks are added (when there are no union states, the input is returned as is).
 * - Other parallelism: for each `SPLIT_DISTRIBUTE` state, the elements of all old
 *   subtasks (in subtask order) are dealt out in contiguous runs of
 *   `floor(total / newParallelism)`, the first `total % newParallelism` subtasks
 *   getting one more; the subtask that gets the first run rotates from state to state
 *   so the extras spread out. Each `UNION` state goes whole to every subtask.
 *
 * @param oldSubtaskStates index = old subtask index; undefined or null when a subtask had no operator state
 * @returns index = new subtask index; the parts each new subtask restores, one per stream, in the
 *   order of the old subtasks (so restored union lists list the old subtasks' elements in order)
 */
export function redistributeOperatorState<R>(
  oldSubtaskStates: readonly (OperatorStateHandle<R> | null | undefined)[],
  newParallelism: number,
): OperatorStateHandle<R>[][] {
  if (!Number.isInteger(newParallelism) || newParallelism <= 0) {
    throw new RangeError(`New parallelism must be a positive integer, got ${newParallelism}`);
  }
  const old = oldSubtaskStates.map((h) => h ?? undefined);
  const streamOrder = new Map<R, number>();
  old.forEach((handle, i) => {
    if (handle !== undefined && !streamOrder.has(handle.stream)) streamOrder.set(handle.stream, i);
  });
  const merges = Array.from({ length: newParallelism }, () => new PartMerger<R>(streamOrder));
  const unionStates = groupByState(old, 'UNION');

  if (newParallelism === old.length) {
    if (unionStates.size === 0) return old.map((handle) => (handle === undefined ? [] : [handle]));
    old.forEach((handle, i) => {
      if (handle !== undefined) for (const [name, meta] of Object.entries(handle.states)) merges[i]!.add(handle.stream, name, meta);
    });
  } else {
    distributeSplitStates(groupByState(old, 'SPLIT_DISTRIBUTE'), merges);
  }
  for (const [name, entries] of unionStates) {
    for (const merge of merges) for (const entry of entries) merge.add(entry.stream, name, entry.meta);
  }
  return merges.map((m) => m.result());
}

interface StateEntry<R> {
  readonly stream: R;
  readonly meta: OperatorStateMetaInfo;
}

/** State name → the entries of all old subtasks with that mode, in subtask order. */
function groupByState<R>(
  old: readonly (OperatorStateHandle<R> | undefined)[],
  mode: OperatorStateMetaInfo['mode'],
): Map<string, StateEntry<R>[]> {
  const byName = new Map<string, StateEntry<R>[]>();
  for (const handle of old) {
    if (handle === undefined) continue;
    for (const [name, meta] of Object.entries(handle.states)) {
      if (meta.mode !== mode) continue;
      let list = byName.get(name);
      if (list === undefined) byName.set(name, (list = []));
      list.push({ stream: handle.stream, meta });
    }
  }
  return byName;
}

function distributeSplitStates<R>(splitStates: Map<string, StateEntry<R>[]>, merges: PartMerger<R>[]): void {
  const newParallelism = merges.length;
  let startSubtask = 0;
  for (const [name, entries] of splitStates) {
    let total = 0;
    for (const entry of entries) total += entry.meta.offsets.length;
    const baseFraction = Math.floor(total / newParallelism);
    let remainder = total % newParallelism;
    let nextStartSubtask = startSubtask;
    let entryIndex = 0;
    let offsetIndex = 0;
    for (let i = 0; i < newParallelism; i++) {
      const subtask = (i + startSubtask) % newParallelism;
      let toAssign = baseFraction;
      if (remainder > 0) {
        toAssign++;
        remainder--;
      } else if (remainder === 0) {
        // Out of extra elements: the next state starts dealing here, so extras rotate.
        nextStartSubtask = subtask;
        remainder--;
      }
      while (toAssign > 0) {
        const entry = entries[entryIndex]!;
        const offsets = entry.meta.offsets;
        const remaining = offsets.length - offsetIndex;
        let slice: readonly number[];
        if (remaining > toAssign) {
          slice = offsets.slice(offsetIndex, offsetIndex + toAssign);
          offsetIndex += toAssign;
        } else {
          slice = offsets.slice(offsetIndex);
          offsetIndex = 0;
          entryIndex++;
        }
        toAssign -= remaining;
        if (slice.length > 0) merges[subtask]!.add(entry.stream, name, { mode: 'SPLIT_DISTRIBUTE', offsets: slice });
      }
    }
    startSubtask = nextStartSubtask;
  }
}

/** Collects the parts of one new subtask, one per stream, ordered by the old subtask that wrote the stream. */
class PartMerger<R> {
  private readonly parts = new Map<R, Record<string, OperatorStateMetaInfo>>();

  constructor(private readonly streamOrder: ReadonlyMap<R, number>) {}

  add(stream: R, name: string, meta: OperatorStateMetaInfo): void {
    let states = this.parts.get(stream);
    if (states === undefined) this.parts.set(stream, (states = Object.create(null) as Record<string, OperatorStateMetaInfo>));
    const existing = states[name];
    states[name] = existing === undefined || existing === meta
      ? meta
      : { mode: meta.mode, offsets: [...existing.offsets, ...meta.offsets] };
  }

  result(): OperatorStateHandle<R>[] {
    return [...this.parts]
      .sort(([a], [b]) => this.streamOrder.get(a)! - this.streamOrder.get(b)!)
      .map(([stream, states]) => ({ stream, states }));
  }
}
