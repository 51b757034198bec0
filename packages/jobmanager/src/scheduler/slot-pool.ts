/** A slot of a TaskManager, handed to one job at a time (slot sharing: subtask i of every vertex shares slot i). */
export interface Slot {
  taskManagerId: string;
  index: number;
}

/**
 * Free and allocated slots across the registered TaskManagers. Allocation is
 * all-or-nothing per job (a job needs as many slots as its highest parallelism)
 * and spreads a job over TaskManagers round-robin, so its tasks land on
 * different processes when there is room.
 */
export class SlotPool {
  /** TaskManager id → owner job id per slot index (undefined = free). */
  private readonly slots = new Map<string, (string | undefined)[]>();

  addTaskManager(id: string, numberOfSlots: number): void {
    this.slots.set(id, new Array<string | undefined>(numberOfSlots).fill(undefined));
  }

  /** Forgets a TaskManager; returns the jobs that held slots on it. */
  removeTaskManager(id: string): Set<string> {
    const owners = new Set<string>();
    for (const owner of this.slots.get(id) ?? []) if (owner) owners.add(owner);
    this.slots.delete(id);
    return owners;
  }

  get totalSlots(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.length;
    return n;
  }

  get freeSlots(): number {
    let n = 0;
    for (const s of this.slots.values()) for (const o of s) if (!o) n++;
    return n;
  }

  freeSlotsOf(taskManagerId: string): number {
    return (this.slots.get(taskManagerId) ?? []).filter((o) => !o).length;
  }

  /** Takes `count` free slots for `jobId`, spread round-robin over TaskManagers; undefined if there are not enough. */
  allocate(jobId: string, count: number): Slot[] | undefined {
    if (this.freeSlots < count) return undefined;
    const free = [...this.slots.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tm, owners]) => ({ tm, indexes: owners.map((o, i) => (o ? -1 : i)).filter((i) => i >= 0) }));
    const out: Slot[] = [];
    while (out.length < count) {
      for (const f of free) {
        if (out.length === count) break;
        const i = f.indexes.shift();
        if (i !== undefined) out.push({ taskManagerId: f.tm, index: i });
      }
    }
    for (const s of out) this.slots.get(s.taskManagerId)![s.index] = jobId;
    return out;
  }

  /** Returns every slot held by `jobId`. */
  release(jobId: string): void {
    for (const owners of this.slots.values()) {
      for (let i = 0; i < owners.length; i++) if (owners[i] === jobId) owners[i] = undefined;
    }
  }
}
