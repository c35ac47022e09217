// Readiness (/readyz): healthy, and on a worker, Agenda's processing loop has ticked recently. /healthz says the
// scheduler is in the state it should be; a loop that stalled (a hung query, a blocked event loop) still reports
// "running", so readiness watches the loop itself.
// Where the loop is observed: Agenda's JobProcessor is private, but every tick (every scheduler.process_every_ms)
// asks the queue's repository for the next job of each definition through `agenda.db.getNextJobToRun`, and the
// repository is public. watchSchedulerLoop wraps that one method to note the time, and also counts Agenda's job
// start/complete events, because a worker at its lock limit skips the scan while it is busy working.
import type { Agenda } from 'agenda';
import type { Database } from '../db/database.js';
import { checkHealth, type SchedulerStatus } from './health.js';

export interface SchedulerLoopWatch {
  /** When the loop last showed it is alive (ms since the epoch), or null before its first tick. */
  lastTickAt(): number | null;
}

export function watchSchedulerLoop(agenda: Agenda): SchedulerLoopWatch {
  let last: number | null = null;
  const tick = () => {
    last = Date.now();
  };
  const repository = agenda.db;
  const getNextJobToRun = repository.getNextJobToRun.bind(repository);
  repository.getNextJobToRun = (...args) => {
    tick();
    return getNextJobToRun(...args);
  };
  agenda.on('start', tick);
  agenda.on('complete', tick);
  return { lastTickAt: () => last };
}

export interface Readiness {
  status: 'ready' | 'not ready';
  /** Why not, when not ready. */
  reason?: string;
  /** Seconds since the scheduler's loop last ticked (workers only; null before its first tick). */
  schedulerLoopAgeSeconds?: number | null;
}

/** A stalled loop: no tick for this long (ten missed ticks, at least 5 s). */
export function loopStaleAfterMs(processEveryMs: number): number {
  return Math.max(10 * processEveryMs, 5000);
}

export async function checkReadiness(
  database: Database,
  scheduler: SchedulerStatus,
  loop: SchedulerLoopWatch,
  staleAfterMs: number,
): Promise<Readiness> {
  const health = await checkHealth(database, scheduler);
  if (!health.database.up) return { status: 'not ready', reason: 'the database does not answer' };
  if (!health.scheduler.up) return { status: 'not ready', reason: `the scheduler is ${health.scheduler.state}` };
  if (!scheduler.executesJobs) return { status: 'ready' };
  const last = loop.lastTickAt();
  const ageMs = last === null ? null : Date.now() - last;
  const schedulerLoopAgeSeconds = ageMs === null ? null : ageMs / 1000;
  if (ageMs === null || ageMs > staleAfterMs) {
    return {
      status: 'not ready',
      reason:
        ageMs === null
          ? "the scheduler's loop has not ticked yet"
          : `the scheduler's loop has not ticked for ${Math.round(ageMs / 1000)} s (limit ${staleAfterMs / 1000} s)`,
      schedulerLoopAgeSeconds,
    };
  }
  return { status: 'ready', schedulerLoopAgeSeconds };
}
