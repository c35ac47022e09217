// How workers share the work that becomes due in one of them, with no round trip between them: each item is placed
// on a live worker by rendezvous hashing on the item's key, so every worker computes the same answer from the same
// beats (the workers table). A schedule's slot is placed so, each live worker weighing the same (engine/clock.ts:
// the chosen worker fires it and starts its run; the others only take over if it stays due). A run now on a busy
// worker is placed with a weight of each worker's free slots at its last beat: idle workers get equal shares, a
// busy one fewer; a worker with nothing in its slots starts a run now at once (its fastest path). A run placed on
// another worker goes to the queue, whose wake-up this process does not hear (scheduler/handoff.ts), so the other
// worker takes it.
import crypto from 'node:crypto';
import type { WorkerLoad } from '../db/sql/workers/beat.js';
import { DEFAULT_QUEUE } from './execution.js';

/** A worker as the placement weighs it: its free slots at its last beat. */
interface Candidate {
  id: string;
  free: number;
}

export class WorkShare {
  private peers: WorkerLoad[] = [];
  /** This worker's load at its own last beat: compared with the others' at theirs. */
  private mine = 0;

  constructor(
    private readonly workerId: string,
    /** This worker's slots (jobs.concurrency). */
    private readonly slots: number,
  ) {}

  /** At each beat: this worker's runs in progress and the live other workers' loads. */
  update(mine: number, peers: WorkerLoad[]): void {
    this.mine = mine;
    this.peers = peers;
  }

  /** Forgets the other workers (this one stopped working). */
  clear(): void {
    this.peers = [];
  }

  /**
   * Whether this worker starts the run itself. `busyHere`: runs in this worker's slots right now. It does when idle
   * (a lone run now, no added latency); a busy one places the run among the workers that take its queue.
   */
  startsHere(runId: string, queue: string | undefined, busyHere: number): boolean {
    return busyHere === 0 || this.placedAmongQueueWorkers(runId, queue ?? DEFAULT_QUEUE);
  }

  /**
   * Whether this worker claims the place a run of a limited queue (jobs.queue_concurrency) freed here (`key`: the
   * run that ended), or leaves it to the others: placed among the workers that take the queue by their free slots,
   * busy or not, so the worker whose run ended does not refill the queue's places every time.
   */
  claimsFreedPlace(key: string, queue: string): boolean {
    return this.placedAmongQueueWorkers(key, queue);
  }

  /** Placed among this worker and the live workers that take the queue, each weighed by its free slots. */
  private placedAmongQueueWorkers(key: string, queue: string): boolean {
    return this.placedHere(key, this.peers.filter((peer) => peer.queues === null || peer.queues.includes(queue)));
  }

  /**
   * Whether this worker fires a schedule's slot first (`key`: the job and the slot); the others take over later. Every
   * live worker weighs the same here: each worker reads the others' loads at its own beat, so weights by load would
   * let two workers disagree for a beat, leaving some slots to the takeover. A busy worker's fired runs go to the
   * queue, where a free worker takes them.
   */
  firesFirst(key: string): boolean {
    return this.placedHere(key, this.peers, { byLoad: false });
  }

  private placedHere(key: string, rivals: readonly WorkerLoad[], { byLoad = true }: { byLoad?: boolean } = {}): boolean {
    if (rivals.length === 0) return true;
    // A peer's slots are not known; the same jobs.concurrency everywhere is the documented deployment.
    const candidates: Candidate[] = [
      { id: this.workerId, free: byLoad ? this.slots - this.mine : this.slots },
      ...rivals.map((peer) => ({ id: peer.id, free: byLoad ? this.slots - peer.activeRuns : this.slots })),
    ];
    return placeRun(key, candidates) === this.workerId;
  }
}

/**
 * Weighted rendezvous hashing: each candidate scores -weight / ln(u), u uniform in (0, 1) from hash(key, worker);
 * the highest score wins, so a candidate wins with probability weight / total weights. A full worker keeps a small
 * weight (1): when every worker is full, they share equally.
 */
export function placeRun(key: string, candidates: readonly Candidate[]): string {
  let best = candidates[0]!.id;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const digest = crypto.createHash('sha1').update(`${key}/${candidate.id}`).digest();
    // 48 bits of the hash as a fraction strictly between 0 and 1.
    const u = (digest.readUIntBE(0, 6) + 0.5) / 2 ** 48;
    const score = -(Math.max(candidate.free, 0) + 1) / Math.log(u);
    if (score > bestScore) {
      bestScore = score;
      best = candidate.id;
    }
  }
  return best;
}
