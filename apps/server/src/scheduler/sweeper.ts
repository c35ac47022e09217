// Finds runs whose worker stopped heartbeating (killed, crashed, cut off), marks them interrupted, and retries
// top-level runs that have attempts left — recurring jobs included (Agenda alone never re-runs an interrupted
// recurring occurrence, agenda#1749). The retry is the same run with attempt + 1.
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { RunDispatcher } from '../services/runs.js';

export interface SweeperOptions {
  staleAfterMs: number;
  everyMs: number;
}

interface StaleRun {
  id: string;
  job_id: string;
  parent_run_id: string | null;
  attempt: number;
  max_attempts: number;
  previous: 'RUNNING' | 'CANCELLING';
  priority: number;
}

export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly deps: { prisma: PrismaClient; dispatcher: RunDispatcher; bus: RealtimeBus; logger: Logger },
    private readonly options: SweeperOptions,
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
    const cutoff = new Date(Date.now() - this.options.staleAfterMs);
    let stale: StaleRun[];
    try {
      stale = await this.deps.prisma.$queryRaw<StaleRun[]>`
        WITH stale AS (
          SELECT r.id, r.status FROM "runs" r
          WHERE r.status IN ('RUNNING', 'CANCELLING') AND r.heartbeat_at < ${cutoff}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE "runs" r SET
          status = CASE WHEN stale.status = 'CANCELLING' THEN 'CANCELLED'::"RunStatus" ELSE 'INTERRUPTED'::"RunStatus" END,
          status_reason = 'worker lost: no heartbeat since ' || to_char(r.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          finished_at = now()
        FROM stale, "jobs" j
        WHERE r.id = stale.id AND j.id = r.job_id
        RETURNING r.id, r.job_id, r.parent_run_id, r.attempt, r.max_attempts, stale.status::text AS previous, j.priority`;
    } catch (error) {
      this.deps.logger.warn(`sweeper: ${(error as Error).message}`);
      return 0;
    }
    for (const run of stale) {
      const retry = run.previous === 'RUNNING' && run.parent_run_id === null && run.attempt < run.max_attempts;
      if (retry) {
        const [queued] = await this.deps.prisma.run.updateManyAndReturn({
          where: { id: run.id, status: 'INTERRUPTED' },
          data: {
            status: 'QUEUED',
            attempt: run.attempt + 1,
            finishedAt: null,
            workerId: null,
            statusReason: `attempt ${run.attempt} interrupted (worker lost); attempt ${run.attempt + 1} of ${run.max_attempts}`,
          },
        });
        if (queued) {
          await this.deps.dispatcher.dispatch(queued, { priority: run.priority });
          this.deps.bus.publishRunChange({ runId: run.id, jobId: run.job_id, parentRunId: null, status: 'QUEUED' });
          continue;
        }
      }
      if (run.parent_run_id === null) {
        // A per-user parent that will not run again leaves no child waiting forever.
        await this.deps.prisma.run.updateMany({
          where: { parentRunId: run.id, status: 'QUEUED' },
          data: { status: 'INTERRUPTED', statusReason: 'parent run lost its worker', finishedAt: new Date() },
        });
      }
      this.deps.bus.publishRunChange({
        runId: run.id,
        jobId: run.job_id,
        parentRunId: run.parent_run_id,
        status: run.previous === 'CANCELLING' ? 'CANCELLED' : 'INTERRUPTED',
      });
    }
    if (stale.length > 0) this.deps.logger.warn(`sweeper: ${stale.length} run(s) lost their worker`);
    return stale.length;
  }
}
