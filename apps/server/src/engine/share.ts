// How workers share the runs that become due in one of them. A schedule's timer fires in whichever worker locked
// it, and Agenda locks timers a poll ahead, so the worker whose poll comes first locks nearly all of them; starting
// each run where it became due would leave that worker running nearly every scheduled run. So each scheduled run
// is placed on a worker with a weight of that worker's free slots at its last beat (the workers table), by
// rendezvous hashing on the run id: idle workers get equal shares, a busy one fewer, and no two workers ever need
// to agree on anything. A run placed on this worker starts here at once; one placed on another goes to the queue,
// whose wake-up this process does not hear (scheduler/handoff.ts), so the other worker takes it. Run now keeps its
// fastest path: a worker with nothing in its slots starts it at once; a busy one places it like a scheduled run.
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
   * Whether this worker starts the run itself. `busyHere`: runs in this worker's slots right now. Scheduled runs
   * (`spread`) are always placed; others start here when this worker is idle (a lone run now, no added latency).
   */
  startsHere(runId: string, queue: string | undefined, busyHere: number, spread: boolean): boolean {
    if (!spread && busyHere === 0) return true;
    const name = queue ?? DEFAULT_QUEUE;
    const rivals = this.peers.filter((peer) => peer.queues === null || peer.queues.includes(name));
    if (rivals.length === 0) return true;
    // A peer's slots are not known; the same jobs.concurrency everywhere is the documented deployment.
    const candidates: Candidate[] = [
      { id: this.workerId, free: this.slots - this.mine },
      ...rivals.map((peer) => ({ id: peer.id, free: this.slots - peer.activeRuns })),
    ];
    return placeRun(runId, candidates) === this.workerId;
  }
}

/**
 * Weighted rendezvous hashing: each candidate scores -weight / ln(u), u uniform in (0, 1) from hash(run, worker);
 * the highest score wins, so a candidate wins with probability weight / total weights. A full worker keeps a small
 * weight (1): when every worker is full, they share equally.
 */
export function placeRun(runId: string, candidates: readonly Candidate[]): string {
  let best = candidates[0]!.id;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const digest = crypto.createHash('sha1').update(`${runId}/${candidate.id}`).digest();
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
