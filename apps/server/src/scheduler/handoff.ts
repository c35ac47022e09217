// Queue entries a worker hands to the others (runs placed on another worker, engine/share.ts): their wake-up goes to
// every process on the channel, and the one that saved the entry would otherwise lock it first as often as not.
// This process ignores the wake-up of an entry it handed off, so another worker takes it at once; if none does
// (the other worker stopped since its last beat), this one still finds it at its next poll (process_every_ms).
import { AsyncLocalStorage } from 'node:async_hooks';

/** Wake-ups remembered at most: one lost on a reconnecting channel is never heard and must not be kept for ever. */
const MAX_IGNORED = 10_000;

export class HandOffs {
  private readonly saving = new AsyncLocalStorage<true>();
  private readonly ignored = new Set<string>();

  /** Saves an entry (fn) whose wake-up this process does not hear. */
  save<T>(fn: () => Promise<T>): Promise<T> {
    return this.saving.run(true, fn);
  }

  /** The channel publishes an entry's wake-up: remembers it when that entry is being handed off. */
  published(jobId: string): void {
    if (!this.saving.getStore()) return;
    if (this.ignored.size >= MAX_IGNORED) this.ignored.clear();
    this.ignored.add(jobId);
  }

  /** The channel delivers a wake-up: whether this process ignores it (once). */
  ignores(jobId: string): boolean {
    return this.ignored.delete(jobId);
  }
}
