// How many runs this process executes at once (jobs.concurrency). An Agenda entry carries a group of runs, so
// Agenda's own concurrency counts groups; the runs inside take these slots. Waiters are served in order.
export class RunSlots {
  private free: number;
  private readonly waiters: Array<{ want: number; grant(count: number): void }> = [];
  /** Set while the waiters' turn is scheduled. */
  private granting = false;

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Slots taken now (runs claimed or executing, or about to be claimed). */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Waits for at least one free slot and takes up to `want` of them; resolves with how many it took. */
  acquire(want: number): Promise<number> {
    if (this.waiters.length === 0 && this.free > 0) return Promise.resolve(this.take(want));
    return new Promise((resolve) => this.waiters.push({ want, grant: resolve }));
  }

  /** Takes up to `want` slots only if some are free now and nobody waits; resolves nothing, returns how many. */
  tryAcquire(want: number): number {
    return this.waiters.length === 0 ? this.take(want) : 0;
  }

  /**
   * Gives slots back. Waiters are served once the current batch of endings has released its slots (runs ending
   * together are recorded in one statement and release theirs in the same turn of the event loop), so one waiter
   * claims them in one statement instead of one claim per slot (bench/workers-share.ts: 0.3 claims per run in a
   * burst).
   */
  release(count = 1): void {
    this.free += count;
    if (this.waiters.length === 0 || this.granting) return;
    this.granting = true;
    setImmediate(() => {
      this.granting = false;
      while (this.free > 0 && this.waiters.length > 0) {
        const waiter = this.waiters.shift()!;
        waiter.grant(this.take(waiter.want));
      }
    });
  }

  private take(want: number): number {
    const count = Math.min(want, this.free);
    this.free -= count;
    return count;
  }
}
