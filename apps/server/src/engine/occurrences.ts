// A schedule's slot becomes a run (once: the occurrence key "<job>@<schedule>@<slot>" is unique), with the misfire
// policy (a slot older than scheduler.misfire_threshold_ms when it fires was missed: one catch-up run marked late, or
// one skipped run), the overlap policy (skip by default, queue, allow), the schedule's run limit and end time
// (reaching either disables that schedule with the reason; a job none of whose schedules has a slot left is disabled
// too). A job has several schedules; its nextRunAt is the earliest of theirs, and every schedule due by then fires.
// Sundial computes the slots itself (services/schedule), so the UI's preview and the real fire times come from one
// place. The scheduler's timers call `fireDue` and move to the next slot it returns.
import type { Job, JobSchedule, Prisma, Run } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { lockJob } from '../db/sql/jobs/lock.js';
import { missedOccurrences, nextFireTimes, scheduleFromJob, type Schedule } from '../services/schedule.js';
import { lastSuccessStart, type NewRun, type RunCreation } from './create.js';
import { publishRun, type EngineResources } from './resources.js';
import { ACTIVE_STATUSES } from './transitions.js';

/** Timers may fire a little before their slot (clock skew between processes); that still counts as the slot. */
const EARLY_TOLERANCE_MS = 1000;

export interface Firing {
  /** The job after the firing: its next slot (null: no more), enabled or disabled with the reason. */
  job: Job;
  /** The first run the due slots became (queued or skipped); null when none was due or each had its run already. */
  run: Run | null;
  /** Every run the due slots became, one per schedule that fired. */
  runs: Run[];
}

/** The occurrence key of a schedule's slot: one run per (job, schedule, slot), whichever worker fires it. */
export function occurrenceKey(jobId: string, scheduleId: string, slot: Date): string {
  return `${jobId}@${scheduleId}@${slot.toISOString()}`;
}

/** A schedule's runs get the job's args overridden key by key by the schedule's. */
export function scheduleArgs(job: Pick<Job, 'args'>, schedule: Pick<JobSchedule, 'args'>): Record<string, unknown> {
  return { ...((job.args ?? {}) as Record<string, unknown>), ...((schedule.args ?? {}) as Record<string, unknown>) };
}

export class Occurrences {
  constructor(
    private readonly resources: EngineResources,
    private readonly creation: RunCreation,
    /** A slot older than this when it fires was missed (no worker was up): the misfire policy applies. */
    private readonly misfireThresholdMs: number,
  ) {}

  /**
   * Fires the job's due slots, if it has some, in one transaction (the job's row locked: a job edit and a firing do
   * not interleave), then dispatches and publishes. Null: the job is gone, disabled or manual — no timer wanted.
   */
  async fireDue(jobId: string, now = new Date()): Promise<Firing | null> {
    const firing = await this.resources.prisma.$transaction(async (tx): Promise<Firing | null> => {
      if (!(await lockJob(prismaSql(tx), jobId))) return null;
      const current = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
      if (!current.enabled || !current.nextRunAt) return null;
      // The jobs table says which slot is due; a timer that fired early (the job changed meanwhile) only moves.
      if (current.nextRunAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { job: current, run: null, runs: [] };
      const due = await tx.jobSchedule.findMany({
        where: { jobId, enabled: true, nextRunAt: { lte: new Date(now.getTime() + EARLY_TOLERANCE_MS) } },
        orderBy: [{ nextRunAt: 'asc' }, { position: 'asc' }],
      });
      const runs: Run[] = [];
      for (const schedule of due) {
        const run = await this.fire(tx, current, schedule, schedule.nextRunAt!, now);
        if (run) runs.push(run);
      }
      const job = await this.settleJob(tx, current, now);
      return { job, run: runs[0] ?? null, runs };
    });
    if (!firing) return null;
    for (const run of firing.runs) {
      if (run.status === 'QUEUED') await this.resources.dispatcher.dispatch(run, { priority: firing.job.priority });
      publishRun(this.resources, run);
    }
    this.resources.bus.publishJobChange({ jobId, change: 'updated' });
    return firing;
  }

  /** One schedule's due slot: its run (null when the slot had one already), and the schedule moved to its next slot. */
  private async fire(tx: Prisma.TransactionClient, job: Job, row: JobSchedule, slot: Date, now: Date): Promise<Run | null> {
    const schedule = scheduleFromJob(row);
    const late = now.getTime() - slot.getTime() > this.misfireThresholdMs;
    const key = occurrenceKey(job.id, row.id, slot);
    const exists = await tx.run.findUnique({ where: { occurrenceKey: key }, select: { id: true } });
    let run: Run | null = null;
    if (!exists) {
      const base: NewRun = {
        jobId: job.id,
        trigger: 'SCHEDULE',
        occurrenceKey: key,
        scheduleId: row.id,
        scheduledFor: slot,
        args: scheduleArgs(job, row),
        since: await lastSuccessStart(tx, job.id),
        maxAttempts: this.creation.maxAttempts(job),
        late,
      };
      let skipped: string | null = null;
      if (late && job.misfirePolicy === 'SKIP') {
        skipped = `missed while no worker was up (${describeMissed(schedule, slot, now)}); misfire policy: skip`;
      } else if (job.overlapPolicy === 'SKIP') {
        const previous = await tx.run.findFirst({
          where: { jobId: job.id, parentRunId: null, status: { in: [...ACTIVE_STATUSES] } },
          select: { id: true },
        });
        if (previous) skipped = `previous run ${previous.id} was still running; overlap policy: skip`;
      }
      const reason = skipped ?? (late ? `late: one catch-up run for ${describeMissed(schedule, slot, now)} missed while no worker was up` : null);
      const [created] = await this.creation.insert([{ ...base, status: skipped ? 'SKIPPED' : 'QUEUED', statusReason: reason }], prismaSql(tx));
      run = created ?? null;
    }

    const runCount = row.runCount + (exists ? 0 : 1);
    // After a misfire the missed slots are gone: the next slot is the first one after now (on the same grid).
    const [next] = nextFireTimes(scheduleFromJob({ ...row, runCount }), { after: late ? now : slot, count: 1, anchor: slot });
    let disabledReason: string | null = null;
    if (!next) {
      if (row.runLimit !== null && runCount >= row.runLimit) disabledReason = `run limit of ${row.runLimit} reached`;
      else if (row.endAt && row.endAt <= now) disabledReason = `end time ${row.endAt.toISOString()} passed`;
      else if (row.scheduleKind === 'ONCE') disabledReason = 'its one scheduled run has started';
      else disabledReason = 'its schedule has no further fire time';
    }
    await tx.jobSchedule.update({
      where: { id: row.id },
      data: { runCount, nextRunAt: next ?? null, ...(disabledReason ? { enabled: false, disabledReason } : {}) },
    });
    return run;
  }

  /** The job's next run: the earliest of its schedules'; none left disables the job, saying why. */
  private async settleJob(tx: Prisma.TransactionClient, job: Job, now: Date): Promise<Job> {
    const schedules = await tx.jobSchedule.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    const next = schedules.filter((s) => s.enabled && s.nextRunAt).map((s) => s.nextRunAt!).sort((a, b) => a.getTime() - b.getTime())[0];
    if (next) return tx.job.update({ where: { id: job.id }, data: { nextRunAt: next } });
    const reasons = schedules.filter((s) => s.disabledReason).map((s) => (schedules.length > 1 ? `${scheduleName(s)}: ${s.disabledReason}` : s.disabledReason!));
    const disabledReason = reasons.length > 0 ? reasons.join('; ') : `no schedule has a fire time after ${now.toISOString()}`;
    return tx.job.update({ where: { id: job.id }, data: { nextRunAt: null, enabled: false, disabledReason } });
  }
}

/** How a reason names a schedule: its label, else its place in the list. */
function scheduleName(schedule: Pick<JobSchedule, 'label' | 'position'>): string {
  return schedule.label ?? `schedule ${schedule.position + 1}`;
}

/** "3 occurrences", counting the slot that fired and the ones after it up to now. */
function describeMissed(schedule: Schedule, slot: Date, now: Date): string {
  const missed = missedOccurrences(schedule, { since: slot, now, max: 1000, anchor: slot });
  const count = missed.slots.length + 1;
  return `${missed.more ? 'over ' : ''}${count} occurrence${count === 1 ? '' : 's'}`;
}
