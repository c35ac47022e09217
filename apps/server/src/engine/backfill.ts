// A backfill: one run per past slot of a job's schedules, trigger BACKFILL, created in one transaction (with the
// backfill row that groups them) through the one insert path, then dispatched. Its runs obey the job's overlap
// policy as one series: under SKIP or QUEUE they run one at a time in slot order (engine/execution.ts holds a run
// back while an earlier one of the same backfill, or an earlier run of the job, is active); under ALLOW side by side,
// as many as the workers' slots allow. Cancelling a backfill cancels every run of it not yet finished.
import type { Backfill, JobSchedule, Run } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { lockJob } from '../db/sql/jobs/lock.js';
import type { Cancelling } from './cancel.js';
import { lastSuccessStart, type NewRun, type RunCreation } from './create.js';
import { scheduleArgs } from './occurrences.js';
import { publishRun, type EngineResources } from './resources.js';
import { ACTIVE_STATUSES } from './transitions.js';

export interface BackfillSlot {
  schedule: JobSchedule;
  at: Date;
}

export interface BackfillRequest {
  jobId: string;
  rangeStart: Date;
  rangeEnd: Date;
  /** In slot order; every one becomes a run. */
  slots: readonly BackfillSlot[];
  startedById: string | null;
}

export class Backfills {
  constructor(
    private readonly resources: EngineResources,
    private readonly creation: RunCreation,
    private readonly cancelling: Cancelling,
  ) {}

  /** Creates the backfill and its runs (null: the job is gone), then dispatches and publishes them. */
  async start(request: BackfillRequest): Promise<{ backfill: Backfill; runs: Run[] } | null> {
    const created = await this.resources.prisma.$transaction(async (tx) => {
      if (!(await lockJob(prismaSql(tx), request.jobId))) return null;
      const job = await tx.job.findUniqueOrThrow({ where: { id: request.jobId } });
      const backfill = await tx.backfill.create({
        data: {
          jobId: job.id,
          rangeStart: request.rangeStart,
          rangeEnd: request.rangeEnd,
          slotCount: request.slots.length,
          startedById: request.startedById,
        },
      });
      const since = await lastSuccessStart(tx, job.id);
      const runs: NewRun[] = request.slots.map(({ schedule, at }) => ({
        jobId: job.id,
        trigger: 'BACKFILL',
        occurrenceKey: `${backfill.id}@${schedule.id}@${at.toISOString()}`,
        scheduleId: schedule.id,
        backfillId: backfill.id,
        scheduledFor: at,
        args: scheduleArgs(job, schedule),
        since,
        startedById: request.startedById,
        maxAttempts: this.creation.maxAttempts(job),
        title: `Backfill of ${at.toISOString()}`,
      }));
      const inserted = (await this.creation.insert(runs, prismaSql(tx))).filter((run): run is Run => run !== null);
      return { backfill, runs: inserted, priority: job.priority };
    });
    if (!created) return null;
    for (const run of created.runs) {
      publishRun(this.resources, run);
      await this.resources.dispatcher.dispatch(run, { priority: created.priority });
    }
    this.resources.bus.publishJobChange({ jobId: request.jobId, change: 'updated' });
    return { backfill: created.backfill, runs: created.runs };
  }

  /** Marks the backfill cancelled and cancels each of its runs still queued or running; resolves with how many. */
  async cancel(backfillId: string): Promise<number> {
    await this.resources.prisma.backfill.updateMany({ where: { id: backfillId, cancelledAt: null }, data: { cancelledAt: new Date() } });
    let cancelled = 0;
    for (;;) {
      const active = await this.resources.prisma.run.findMany({
        where: { backfillId, parentRunId: null, status: { in: [...ACTIVE_STATUSES] }, NOT: { status: 'CANCELLING' } },
        select: { id: true },
        take: 500,
      });
      if (active.length === 0) return cancelled;
      for (const { id } of active) {
        // Null: its status changed meanwhile (it finished, or another cancel won); the next pass sees where it is.
        if (await this.cancelling.cancel(id)) cancelled += 1;
      }
    }
  }
}
