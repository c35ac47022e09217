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
  status: 'QUEUED' | 'INTERRUPTED' | 'CANCELLED';
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
      // One statement per pass: a run that will be retried goes from RUNNING straight back to QUEUED (attempt + 1),
      // so nobody ever reads a terminal INTERRUPTED that later changes.
      stale = await this.deps.prisma.$queryRaw<StaleRun[]>`
        WITH stale AS (
          SELECT r.id, r.status,
            (r.status = 'RUNNING' AND r.parent_run_id IS NULL AND r.attempt < r.max_attempts) AS retry
          FROM "runs" r
          WHERE r.status IN ('RUNNING', 'CANCELLING') AND r.heartbeat_at < ${cutoff}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE "runs" r SET
          status = CASE
            WHEN stale.status = 'CANCELLING' THEN 'CANCELLED'::"RunStatus"
            WHEN stale.retry THEN 'QUEUED'::"RunStatus"
            ELSE 'INTERRUPTED'::"RunStatus" END,
          status_reason = CASE
            WHEN stale.retry THEN 'attempt ' || r.attempt || ' interrupted (worker lost); attempt ' || (r.attempt + 1) || ' of ' || r.max_attempts
            ELSE 'worker lost: no heartbeat since ' || to_char(r.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
          attempt = CASE WHEN stale.retry THEN r.attempt + 1 ELSE r.attempt END,
          finished_at = CASE WHEN stale.retry THEN NULL ELSE now() END,
          worker_id = CASE WHEN stale.retry THEN NULL ELSE r.worker_id END,
          -- The lost attempt's stored lines are the log so far (it never wrote its last sequence back): a retry
          -- continues after them instead of reusing their numbers, which would drop its own lines as duplicates.
          log_sequence = COALESCE((SELECT max(l.sequence) FROM "run_log_lines" l WHERE l.run_id = r.id), r.log_sequence)
        FROM stale, "jobs" j
        WHERE r.id = stale.id AND j.id = r.job_id
        RETURNING r.id, r.job_id, r.parent_run_id, r.attempt, r.status::text AS status, j.priority`;
    } catch (error) {
      this.deps.logger.warn(`sweeper: ${(error as Error).message}`);
      return 0;
    }
    for (const run of stale) {
      if (run.status === 'QUEUED') {
        await this.deps.dispatcher.dispatch(run, { priority: run.priority });
      } else if (run.parent_run_id === null) {
        // A per-user parent that will not run again leaves no child waiting forever.
        await this.deps.prisma.run.updateMany({
          where: { parentRunId: run.id, status: 'QUEUED' },
          data: { status: 'INTERRUPTED', statusReason: 'parent run lost its worker', finishedAt: new Date() },
        });
      }
      this.deps.bus.publishRunChange({ runId: run.id, jobId: run.job_id, parentRunId: run.parent_run_id, status: run.status });
    }
    if (stale.length > 0) this.deps.logger.warn(`sweeper: ${stale.length} run(s) lost their worker`);
    return stale.length;
  }
}
