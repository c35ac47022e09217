// A schedule's slot becomes a run (once: the occurrence key is unique), with the misfire policy (a slot older than
// scheduler.misfire_threshold_ms when it fires was missed: one catch-up run marked late, or one skipped run), the
// overlap policy (skip by default, queue, allow), the run limit and the end time (reaching either disables the job
// with the reason). Sundial computes the slots itself (services/schedule), so the UI's preview and the real fire
// times come from one place. The scheduler's timers call `fireDue` and move to the next slot it returns.
import type { Job, Prisma, Run } from '../db/prisma.js';
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
  /** The run the slot became (queued or skipped); null when the slot was not due yet or had its run already. */
  run: Run | null;
}

export class Occurrences {
  constructor(
    private readonly resources: EngineResources,
    private readonly creation: RunCreation,
    /** A slot older than this when it fires was missed (no worker was up): the misfire policy applies. */
    private readonly misfireThresholdMs: number,
  ) {}

  /**
   * Fires the job's due slot, if it has one, in one transaction (the job's row locked: a job edit and a firing do
   * not interleave), then dispatches and publishes. Null: the job is gone, disabled or manual — no timer wanted.
   */
  async fireDue(jobId: string, now = new Date()): Promise<Firing | null> {
    const firing = await this.resources.prisma.$transaction(async (tx): Promise<Firing | null> => {
      if (!(await lockJob(prismaSql(tx), jobId))) return null;
      const current = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
      if (!current.enabled || current.scheduleKind === 'MANUAL' || !current.nextRunAt) return null;
      // The jobs table says which slot is due; a timer that fired early (the job changed meanwhile) only moves.
      if (current.nextRunAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { job: current, run: null };
      return this.fire(tx, current, current.nextRunAt, now);
    });
    if (!firing) return null;
    if (firing.run?.status === 'QUEUED') await this.resources.dispatcher.dispatch(firing.run, { priority: firing.job.priority });
    if (firing.run) publishRun(this.resources, firing.run);
    this.resources.bus.publishJobChange({ jobId, change: 'updated' });
    return firing;
  }

  private async fire(tx: Prisma.TransactionClient, job: Job, slot: Date, now: Date): Promise<Firing> {
    const schedule = scheduleFromJob(job);
    const late = now.getTime() - slot.getTime() > this.misfireThresholdMs;
    const occurrenceKey = `${job.id}@${slot.toISOString()}`;
    const exists = await tx.run.findUnique({ where: { occurrenceKey }, select: { id: true } });
    let run: Run | null = null;
    if (!exists) {
      const base: NewRun = {
        jobId: job.id,
        trigger: 'SCHEDULE',
        occurrenceKey,
        scheduledFor: slot,
        args: job.args,
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

    const runCount = job.runCount + (exists ? 0 : 1);
    // After a misfire the missed slots are gone: the next slot is the first one after now (on the same grid).
    const [next] = nextFireTimes(scheduleFromJob({ ...job, runCount }), { after: late ? now : slot, count: 1, anchor: slot });
    let disabledReason: string | null = null;
    if (!next) {
      if (job.runLimit !== null && runCount >= job.runLimit) disabledReason = `run limit of ${job.runLimit} reached`;
      else if (job.scheduleKind === 'ONCE') disabledReason = 'its one scheduled run has started';
      // A recurring schedule runs out only at its end date: the next slot would fall after it, maybe not yet passed.
      else if (job.endAt) disabledReason = `end date reached (${job.endAt.toISOString()})`;
      else disabledReason = 'its schedule has no further fire time';
    }
    const updated = await tx.job.update({
      where: { id: job.id },
      data: { runCount, nextRunAt: next ?? null, ...(disabledReason ? { enabled: false, disabledReason } : {}) },
    });
    return { job: updated, run };
  }
}

/** "3 occurrences", counting the slot that fired and the ones after it up to now. */
function describeMissed(schedule: Schedule, slot: Date, now: Date): string {
  const missed = missedOccurrences(schedule, { since: slot, now, max: 1000, anchor: slot });
  const count = missed.slots.length + 1;
  return `${missed.more ? 'over ' : ''}${count} occurrence${count === 1 ? '' : 's'}`;
}
