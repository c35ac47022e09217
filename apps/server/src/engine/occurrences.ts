// A schedule's slot becomes a run (once: the occurrence key "<job>@<schedule>@<slot>" is unique), with the misfire
// policy (a slot older than scheduler.misfire_threshold_ms when it fires was missed: one catch-up run marked late, or
// one skipped run), the overlap policy (skip by default, queue, allow), the schedule's run limit and end time
// (reaching either disables that schedule with the reason; a job none of whose schedules has a slot left is disabled
// too). A job has several schedules; its nextRunAt is the earliest of theirs, and every schedule due by then fires.
// Sundial computes the slots itself (services/schedule), so the UI's preview and the real fire times come from one
// place. The scheduler's timers call `fireDue` and move to the next slot it returns. A slot's run is placed among the
// live workers (engine/share.ts), not started by whichever worker's timer fired.
// Calendars (services/schedule/calendars.ts) judge each slot: one they rule out becomes a SKIPPED run naming the
// calendar (blackout policy SKIP), or the schedule's next slot becomes the end of the window (MOVE): the slots
// inside the window become that one run, whose reason says where it was moved from. A job paused until a time has
// its timer at that time: the firing then re-enables it (resumeDue), audited as Sundial's own act.
import type { Job, JobSchedule, Prisma, Run } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { lockJob } from '../db/sql/jobs/lock.js';
import { firstSlotAfter, judgeSlot, missedOccurrences, movedSlot, nextFireTimes, scheduleFromJob, type AttachedCalendar, type Schedule } from '../services/schedule.js';
import { attachedCalendars } from './calendars.js';
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

/** When a job's timer is due: its next slot, or the end of its pause. */
export function timerAt(job: Pick<Job, 'enabled' | 'nextRunAt' | 'pausedUntil'>): Date | null {
  return job.enabled ? job.nextRunAt : job.pausedUntil;
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
      let current = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
      let resumed = false;
      if (!current.enabled && current.pausedUntil) {
        if (current.pausedUntil.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { job: current, run: null, runs: [] };
        current = await this.resume(tx, current, now);
        resumed = true;
      }
      if (!current.enabled || !current.nextRunAt) return resumed ? { job: current, run: null, runs: [] } : null;
      // The jobs table says which slot is due; a timer that fired early (the job changed meanwhile) only moves.
      if (current.nextRunAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { job: current, run: null, runs: [] };
      const due = await tx.jobSchedule.findMany({
        where: { jobId, enabled: true, nextRunAt: { lte: new Date(now.getTime() + EARLY_TOLERANCE_MS) } },
        orderBy: [{ nextRunAt: 'asc' }, { position: 'asc' }],
      });
      const runs: Run[] = [];
      const calendars = due.length > 0 ? await attachedCalendars(tx, jobId) : [];
      for (const schedule of due) {
        const run = await this.fire(tx, current, schedule, schedule.nextRunAt!, now, calendars);
        if (run) runs.push(run);
      }
      const job = await this.settleJob(tx, current, now);
      return { job, run: runs[0] ?? null, runs };
    });
    if (!firing) return null;
    for (const run of firing.runs) {
      if (run.status === 'QUEUED') await this.resources.dispatcher.dispatch(run, { priority: firing.job.priority, spread: true });
      publishRun(this.resources, run);
    }
    this.resources.bus.publishJobChange({ jobId, change: 'updated' });
    return firing;
  }

  /** One schedule's due slot: its run (null when the slot had one already), and the schedule moved to its next slot. */
  private async fire(tx: Prisma.TransactionClient, job: Job, row: JobSchedule, slot: Date, now: Date, calendars: readonly AttachedCalendar[]): Promise<Run | null> {
    const schedule = scheduleFromJob(row);
    const late = now.getTime() - slot.getTime() > this.misfireThresholdMs;
    // A moved slot is still its original slot: one run per (job, schedule, slot), and the grid it came from.
    const original = row.movedFrom ?? slot;
    const key = occurrenceKey(job.id, row.id, original);
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
      const verdict = calendars.length > 0 ? judgeSlot(slot, calendars) : ({ allowed: true } as const);
      if (late && job.misfirePolicy === 'SKIP') {
        skipped = `missed while no worker was up (${describeMissed(schedule, slot, now)}); misfire policy: skip`;
      } else if (!verdict.allowed) {
        const to = job.blackoutPolicy === 'MOVE' ? movedSlot(slot, calendars) : null;
        if (to) {
          // No run yet: the schedule's next slot becomes the end of the window, remembering the slot it was.
          const movedReason = `moved from ${original.toISOString()} to ${to.toISOString()}: the slot was ${verdict.reason}; blackout policy: move`;
          await tx.jobSchedule.update({ where: { id: row.id }, data: { nextRunAt: to, movedFrom: original, movedReason } });
          return null;
        }
        skipped = job.blackoutPolicy === 'MOVE'
          ? `${verdict.reason}, with no time outside it within a year to move to; blackout policy: move`
          : `${verdict.reason}; blackout policy: skip`;
      } else if (job.overlapPolicy === 'SKIP') {
        const previous = await tx.run.findFirst({
          where: { jobId: job.id, parentRunId: null, status: { in: [...ACTIVE_STATUSES] } },
          select: { id: true },
        });
        if (previous) skipped = `previous run ${previous.id} was still running; overlap policy: skip`;
      }
      const reason = skipped ?? (late ? `late: one catch-up run for ${describeMissed(schedule, slot, now)} missed while no worker was up` : row.movedReason);
      const [created] = await this.creation.insert([{ ...base, status: skipped ? 'SKIPPED' : 'QUEUED', statusReason: reason }], prismaSql(tx));
      run = created ?? null;
    }

    const runCount = row.runCount + (exists ? 0 : 1);
    // After a misfire the missed slots are gone: the next slot is the first one after now (on the same grid).
    // After a moved slot, the slots it was moved over are gone too: the next one is the first after it.
    const [next] = nextFireTimes(scheduleFromJob({ ...row, runCount }), { after: late ? now : slot, count: 1, anchor: original });
    let disabledReason: string | null = null;
    if (!next) {
      if (row.runLimit !== null && runCount >= row.runLimit) disabledReason = `run limit of ${row.runLimit} reached`;
      else if (row.scheduleKind === 'ONCE') disabledReason = 'its one scheduled run has started';
      // A recurring schedule runs out only at its end date: the next slot would fall after it, maybe not yet passed.
      else if (row.endAt) disabledReason = `end date reached (${row.endAt.toISOString()})`;
      else disabledReason = 'its schedule has no further fire time';
    }
    await tx.jobSchedule.update({
      where: { id: row.id },
      data: { runCount, nextRunAt: next ?? null, movedFrom: null, movedReason: null, ...(disabledReason ? { enabled: false, disabledReason } : {}) },
    });
    return run;
  }

  /**
   * The end of a "pause until": the job is enabled again, each schedule's next slot counted from now (the slots of
   * the pause never run), and the audit log says Sundial did it. A job none of whose schedules has a slot left stays
   * disabled, saying why.
   */
  private async resume(tx: Prisma.TransactionClient, job: Job, now: Date): Promise<Job> {
    const schedules = await tx.jobSchedule.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    let earliest: Date | null = null;
    for (const row of schedules) {
      const next = row.enabled ? firstSlotAfter(scheduleFromJob(row), now) : null;
      await tx.jobSchedule.update({ where: { id: row.id }, data: { nextRunAt: next, movedFrom: null, movedReason: null } });
      if (next && (!earliest || next < earliest)) earliest = next;
    }
    const stuck = schedules.length > 0 && !earliest;
    const resumed = await tx.job.update({
      where: { id: job.id },
      data: stuck
        ? { pausedUntil: null, disabledReason: `paused until ${job.pausedUntil!.toISOString()}, but none of its schedules has a fire time after that` }
        : { pausedUntil: null, enabled: true, disabledReason: null, nextRunAt: earliest },
    });
    await tx.auditEvent.create({
      data: {
        actorId: null,
        actorLabel: 'sundial',
        actorKind: 'SYSTEM',
        ip: null,
        action: 'resumeJob',
        targetType: 'job',
        targetId: job.id,
        outcome: stuck ? 'FAILURE' : 'SUCCESS',
        details: { pausedUntil: job.pausedUntil!.toISOString(), ...(stuck ? { error: resumed.disabledReason } : { nextRunAt: earliest?.toISOString() ?? null }) },
      },
    });
    return resumed;
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
