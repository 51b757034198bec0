/**
 * Work for a task that must run between records, on the task's own loop: checkpoint
 * triggers at sources, checkpoint notifications, periodic watermarks, cancellation.
 * Running it there (never concurrently with record processing) keeps every snapshot
 * consistent without locks.
 */
export class Mailbox {
  private readonly actions: Array<() => void | Promise<void>> = [];
  private wake?: () => void;

  post(action: () => void | Promise<void>): void {
    this.actions.push(action);
    const w = this.wake;
    if (w) { this.wake = undefined; w(); }
  }

  get hasMail(): boolean {
    return this.actions.length > 0;
  }

  /** Runs every queued action in order (actions posted meanwhile run too). */
  async drain(): Promise<void> {
    while (this.actions.length > 0) {
      const action = this.actions.shift()!;
      await action();
    }
  }

  /** Resolves when mail arrives (at once if there is some). */
  whenMail(): Promise<void> {
    if (this.actions.length > 0) return Promise.resolve();
    return new Promise((resolve) => { this.wake = resolve; });
  }

  /** Wakes a waiter without mail (e.g. cancellation). */
  interrupt(): void {
    const w = this.wake;
    if (w) { this.wake = undefined; w(); }
  }
}
