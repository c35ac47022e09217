// How many runs this process executes at once (jobs.concurrency): a slot is taken before a claim and given back
// when the claim did not fill it or its run ended.
export class RunSlots {
  private free: number;

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Slots taken now (runs claimed or executing, or about to be claimed). */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Takes up to `want` of the slots free now; returns how many it took. */
  tryAcquire(want: number): number {
    const count = Math.min(want, this.free);
    this.free -= count;
    return count;
  }

  /** Gives slots back. */
  release(count = 1): void {
    this.free += count;
  }
}
