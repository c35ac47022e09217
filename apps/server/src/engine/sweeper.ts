// Finds runs whose worker is lost (killed, crashed, cut off), ends them as interrupted (or cancelled,
// when a cancel was requested), and retries top-level runs the retry rule allows — recurring jobs included (Agenda
// alone never re-runs an interrupted recurring occurrence, agenda#1749). The retry is the same run with attempt + 1.
import type { ChainedRun } from '../db/sql/runs/follow-ups.js';
import { sweepStaleRuns, type SweptRun } from '../db/sql/runs/sweep-stale.js';
import { followUpSettings, handOverFollowUps } from './chains.js';
import { publishRun, type EngineResources } from './resources.js';
import { FINISHABLE_STATUSES, RETRYABLE_OUTCOMES } from './transitions.js';

// A worker is lost when its runs have no heartbeat for jobs.stale_after_ms, or sooner, when its liveness lock is gone
// (its connection closed: engine/workers.ts) and its runs missed two beats (lostAfterMs). That sooner rule holds only
// while this worker's own liveness session has been open for lostAfterMs: after a database restart every live
// worker reopens its session (within a second) and beats again before anyone judges its runs by it.
export interface SweeperOptions {
  staleAfterMs: number;
  /** No heartbeat for this long and no liveness lock: lost. */
  lostAfterMs: number;
  everyMs: number;
}

export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly resources: Pick<EngineResources, 'prisma' | 'pool' | 'dispatcher' | 'bus' | 'logger' | 'notificationsQueued' | 'actions'>,
    private readonly options: SweeperOptions,
    /** This worker's liveness session (engine/workers.ts). */
    private readonly liveness: { readonly livenessSince: number | null },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.options.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One pass; returns how many runs it interrupted. Safe to run from several workers at once. */
  sweep(): Promise<number> {
    this.sweeping ??= this.pass().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async pass(): Promise<number> {
    let stale: SweptRun[];
    let chained: ChainedRun[];
    try {
      const now = Date.now();
      const since = this.liveness.livenessSince;
      const { lostAfterMs } = this.options;
      const { swept, notifications, followUps } = await sweepStaleRuns(this.resources.pool, {
        cutoff: new Date(now - this.options.staleAfterMs),
        lockCutoff: since !== null && now - since >= lostAfterMs ? new Date(now - lostAfterMs) : null,
        from: FINISHABLE_STATUSES,
        retryable: RETRYABLE_OUTCOMES,
        followUps: followUpSettings(this.resources.actions),
      });
      stale = swept;
      chained = followUps;
      if (notifications > 0) this.resources.notificationsQueued(notifications);
    } catch (error) {
      this.resources.logger.warn(`sweeper: ${(error as Error).message}`);
      return 0;
    }
    for (const run of stale) {
      if (run.status === 'QUEUED') {
        await this.resources.dispatcher.dispatch(run, { priority: run.priority });
      } else if (run.parentRunId === null) {
        // A per-user parent that will not run again leaves no child waiting forever.
        await this.resources.prisma.run.updateMany({
          where: { parentRunId: run.id, status: 'QUEUED' },
          data: { status: 'INTERRUPTED', statusReason: 'parent run lost its worker', finishedAt: new Date() },
        });
      }
      publishRun(this.resources, run);
    }
    await handOverFollowUps(this.resources, chained);
    if (stale.length > 0) this.resources.logger.warn(`sweeper: ${stale.length} run(s) lost their worker`);
    return stale.length;
  }
}
