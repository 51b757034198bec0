import type { ListState, ListStateDescriptor, OperatorStateStore } from '@tsflink/api';
import { OperatorListState } from './operator-list-state.js';
import type { OperatorStateDistributionMode } from './operator-list-state.js';
import { readOperatorStateSource } from './operator-state-restore.js';
import type { OperatorStateSource } from './operator-state-restore.js';
import { OperatorStateSnapshot } from './operator-state-snapshot.js';
import { StateKindMismatchError } from './state-errors.js';

/**
 * Operator (non-keyed) state of one subtask (Flink's `DefaultOperatorStateBackend`):
 * named lists, each either `SPLIT_DISTRIBUTE` ({@link getListState}) or `UNION`
 * ({@link getUnionListState}).
 *
 * States restored but never requested again are kept and written into the next
 * snapshot, so an operator that reads a state only conditionally does not lose it.
 */
export class DefaultOperatorStateBackend implements OperatorStateStore {
  private readonly states = new Map<string, OperatorListState<unknown>>();
  private restored = false;

  /** List state whose elements are split round-robin across subtasks on rescale. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate<T>(descriptor.name, 'SPLIT_DISTRIBUTE');
  }

  /** List state of which every subtask gets all elements (of all subtasks) on restore. */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate<T>(descriptor.name, 'UNION');
  }

  /** True once state was restored into this backend. */
  isRestored(): boolean {
    return this.restored;
  }

  /** Names of all registered states (requested or restored), in registration order. */
  getRegisteredStateNames(): string[] {
    return [...this.states.keys()];
  }

  /**
   * Encodes every state for checkpoint `checkpointId` (synchronously: this is the
   * consistent copy). Write the result with `snapshot.write(sink)`.
   */
  snapshot(checkpointId: number): OperatorStateSnapshot {
    return OperatorStateSnapshot.encode(checkpointId, [...this.states.values()]);
  }

  /**
   * Restores the parts assigned to this subtask (see `redistributeOperatorState`):
   * their elements are appended to the states of the same name, in source order.
   */
  async restore(sources: Iterable<OperatorStateSource>): Promise<void> {
    for (const source of sources) {
      const restored = await readOperatorStateSource(source);
      for (const [name, { mode, elements }] of restored) {
        const state = this.getOrCreate<unknown>(name, mode);
        if (elements.length > 0) state.addAll(elements);
      }
    }
    this.restored = true;
  }

  private getOrCreate<T>(name: string, mode: OperatorStateDistributionMode): OperatorListState<T> {
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.mode !== mode) throw new StateKindMismatchError(name, `${existing.mode} list`, `${mode} list`);
      return existing as OperatorListState<T>;
    }
    const created = new OperatorListState<T>(name, mode);
    this.states.set(name, created as OperatorListState<unknown>);
    return created;
  }
}
