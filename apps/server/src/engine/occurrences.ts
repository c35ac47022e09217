// A schedule's slot becomes a run (once: the occurrence key "<job>@<schedule>@<slot>" is unique), with the misfire
// policy (a slot older than scheduler.misfire_threshold_ms when it fires was missed: one catch-up run marked late, or
// one skipped run), the overlap policy (skip by default, queue, allow), the schedule's run limit and end time
// (reaching either disables that schedule with the reason; a job none of whose schedules has a slot left is disabled
// too). A job has several schedules; its nextRunAt is the earliest of theirs, and every schedule due by then fires.
// Sundial computes the slots itself (services/schedule), so the UI's preview and the real fire times come from one
// place. The slot clock (engine/clock.ts) fires the jobs due together with `fireBatch`, in the worker it placed the
// slot on, which starts the runs itself when it has a free slot.
// Calendars (services/schedule/calendars.ts) judge each slot: one they rule out becomes a SKIPPED run naming the
// calendar (blackout policy SKIP), or the schedule's next slot becomes the end of the window (MOVE): the slots
// inside the window become that one run, whose reason says where it was moved from. A job paused until a time has
// its timer at that time: the firing then re-enables it (resumeDue), audited as Sundial's own act.
import type { Job, JobSchedule, Prisma, Run } from '../db/prisma.js';
import { prismaSql, sqlTransaction, type SqlClient } from '../db/sql/client.js';
import { lockDueJobs } from '../db/sql/jobs/due.js';
import { readJobsForFiring, readSchedulesOf, writeFiredSchedules, writeSettledJobs, type FiredJob, type JobForFiring } from '../db/sql/jobs/fire.js';
import { lockJob } from '../db/sql/jobs/lock.js';
import { firstSlotAfter, judgeSlot, missedOccurrences, movedSlot, nextFireTimes, scheduleFromJob, type AttachedCalendar, type Schedule } from '../services/schedule.js';
import { attachedCalendars } from './calendars.js';
import { lastSuccessStart, type NewRun, type RunCreation } from './create.js';
import { publishRun, type EngineResources } from './resources.js';
import { ACTIVE_STATUSES } from './transitions.js';

/** A slot fired by hand (`fireDue`) may be up to this early and still count as the slot. */
const EARLY_TOLERANCE_MS = 1000;
/** How long a firing may wait for a connection, and last: a batch is tens of short statements. */
const FIRING_MAX_WAIT_MS = 10_000;
const FIRING_TIMEOUT_MS = 30_000;

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
    const [firing] = await this.fireEach(async (sql) => ((await lockJob(sql, jobId)) ? [jobId] : []), { now, toleranceMs: EARLY_TOLERANCE_MS });
    return firing ?? null;
  }

  /**
   * The slot clock's firing (engine/clock.ts): those of the jobs still due (a timer up to `toleranceMs` early counts)
   * are locked, SKIP LOCKED, and fired together in one plain-SQL transaction of a few statements for the whole batch.
   * Their runs start in this worker when it has a free slot (the clock placed the firing here). A job with more to
   * judge than one due slot (calendars, a moved slot, several schedules due at once, the end of a pause) is fired
   * after the batch on its own, through `fireEach`. Returns each fired job's timer after the firing.
   */
  async fireBatch(jobIds: readonly string[], { toleranceMs }: { toleranceMs: number }): Promise<FiredJob[]> {
    const now = new Date();
    const until = new Date(now.getTime() + toleranceMs);
    const batch = await sqlTransaction(this.resources.pool, (sql) => this.fireTogether(sql, jobIds, now, until));
    for (const { run, priority } of batch.runs) {
      if (run.status === 'QUEUED') await this.resources.dispatcher.dispatch(run, { priority, placed: true });
      publishRun(this.resources, run);
    }
    for (const job of batch.jobs) this.resources.bus.publishJobChange({ jobId: job.id, change: 'updated' });
    const firedAlone: FiredJob[] = [];
    for (const jobId of batch.alone) {
      const firings = await this.fireEach((sql) => lockDueJobs(sql, { jobIds: [jobId], until: new Date(Date.now() + toleranceMs) }), { toleranceMs });
      firedAlone.push(...firings.map(({ job }) => job));
    }
    return [...batch.jobs, ...firedAlone];
  }

  /**
   * Inside the batch's transaction: locks the jobs still due, fires those with one due slot and nothing more to judge
   * (one insert, one schedules update, one jobs update for all of them), and names the others (`alone`).
   */
  private async fireTogether(
    sql: SqlClient,
    jobIds: readonly string[],
    now: Date,
    until: Date,
  ): Promise<{ jobs: FiredJob[]; runs: Array<{ run: Run; priority: number }>; alone: string[] }> {
    const locked = await lockDueJobs(sql, { jobIds, until });
    if (locked.length === 0) return { jobs: [], runs: [], alone: [] };
    const jobs = await readJobsForFiring(sql, locked, ACTIVE_STATUSES);
    const schedulesOf = new Map<string, JobSchedule[]>();
    for (const row of await readSchedulesOf(sql, locked)) schedulesOf.set(row.jobId, [...(schedulesOf.get(row.jobId) ?? []), row]);
    const alone: string[] = [];
    const fired: Array<{ job: JobForFiring; row: JobSchedule; slot: Date; late: boolean }> = [];
    for (const job of jobs) {
      const due = (schedulesOf.get(job.id) ?? []).filter((row) => row.enabled && row.nextRunAt && row.nextRunAt <= until);
      const row = due[0];
      if (!job.enabled || job.calendars > 0 || due.length !== 1 || !row || row.movedFrom) {
        alone.push(job.id);
        continue;
      }
      fired.push({ job, row, slot: row.nextRunAt!, late: now.getTime() - row.nextRunAt!.getTime() > this.misfireThresholdMs });
    }
    const runs = await this.creation.insert(
      fired.map(({ job, row, slot, late }) => {
        let skipped: string | null = null;
        if (late && job.misfirePolicy === 'SKIP') skipped = misfireSkip(scheduleFromJob(row), slot, now);
        else if (job.overlapPolicy === 'SKIP' && job.activeRunId) skipped = overlapSkip(job.activeRunId);
        const fields = { since: job.lastSuccessStart, maxAttempts: this.creation.maxAttempts(job), late, skipped, movedReason: null };
        return slotRun(job, row, slot, now, fields);
      }),
      sql,
    );
    const schedules = fired.map(({ job, row, slot, late }, index) => {
      const runCount = row.runCount + (runs[index] ? 1 : 0);
      const next = scheduleAfterFiring(row, { runCount, late, slot, now });
      const after: JobSchedule = { ...row, runCount, nextRunAt: next.nextRunAt, enabled: !next.disabledReason, disabledReason: next.disabledReason ?? row.disabledReason };
      return { job, after };
    });
    await writeFiredSchedules(sql, schedules.map(({ after }) => ({ id: after.id, runCount: after.runCount, nextRunAt: after.nextRunAt, disabledReason: after.enabled ? null : after.disabledReason })));
    const settled = await writeSettledJobs(
      sql,
      schedules.map(({ job, after }) => ({ id: job.id, ...settledJob((schedulesOf.get(job.id) ?? []).map((row) => (row.id === after.id ? after : row)), now) })),
    );
    const priorities = new Map(jobs.map((job) => [job.id, job.priority]));
    return { jobs: settled, runs: runs.filter((run): run is Run => run !== null).map((run) => ({ run, priority: priorities.get(run.jobId) ?? 0 })), alone };
  }

  /**
   * Fires the due slots of the jobs `lock` locks, one after the other in one Prisma transaction, with every rule
   * (calendars, moved slots, several schedules, the end of a pause), then dispatches their runs (started in this
   * worker when it has a free slot) and publishes. A timer up to `toleranceMs` early counts as due.
   */
  private async fireEach(lock: (sql: SqlClient) => Promise<string[]>, { now = new Date(), toleranceMs }: { now?: Date; toleranceMs: number }): Promise<Firing[]> {
    const results = await this.resources.prisma.$transaction(
      async (tx) => {
        const results: Array<{ firing: Firing; changed: boolean }> = [];
        for (const jobId of await lock(prismaSql(tx))) {
          const result = await this.fireJob(tx, jobId, now, toleranceMs);
          if (result) results.push(result);
        }
        return results;
      },
      // A batch is tens of short statements; a busy database must not cut it at Prisma's default 5 s.
      { maxWait: FIRING_MAX_WAIT_MS, timeout: FIRING_TIMEOUT_MS },
    );
    for (const { firing, changed } of results) {
      for (const run of firing.runs) {
        if (run.status === 'QUEUED') await this.resources.dispatcher.dispatch(run, { priority: firing.job.priority, placed: true });
        publishRun(this.resources, run);
      }
      if (changed) this.resources.bus.publishJobChange({ jobId: firing.job.id, change: 'updated' });
    }
    return results.map(({ firing }) => firing);
  }

  /** One locked job's due slots; `changed`: the firing wrote something (a timer that came early only moves). */
  private async fireJob(tx: Prisma.TransactionClient, jobId: string, now: Date, toleranceMs: number): Promise<{ firing: Firing; changed: boolean } | null> {
    let current = await tx.job.findUnique({ where: { id: jobId } });
    if (!current) return null;
    let resumed = false;
    if (!current.enabled && current.pausedUntil) {
      if (current.pausedUntil.getTime() > now.getTime() + toleranceMs) return { firing: { job: current, run: null, runs: [] }, changed: false };
      current = await this.resume(tx, current, now);
      resumed = true;
    }
    if (!current.enabled || !current.nextRunAt) return resumed ? { firing: { job: current, run: null, runs: [] }, changed: true } : null;
    // The jobs table says which slot is due; a timer that fired early (the job changed meanwhile) only moves.
    if (current.nextRunAt.getTime() > now.getTime() + toleranceMs) return { firing: { job: current, run: null, runs: [] }, changed: resumed };
    const due = await tx.jobSchedule.findMany({
      where: { jobId, enabled: true, nextRunAt: { lte: new Date(now.getTime() + toleranceMs) } },
      orderBy: [{ nextRunAt: 'asc' }, { position: 'asc' }],
    });
    const runs: Run[] = [];
    const calendars = due.length > 0 ? await attachedCalendars(tx, jobId) : [];
    for (const schedule of due) {
      const run = await this.fire(tx, current, schedule, schedule.nextRunAt!, now, calendars);
      if (run) runs.push(run);
    }
    const job = await this.settleJob(tx, current, now);
    return { firing: { job, run: runs[0] ?? null, runs }, changed: true };
  }

  /**
   * Jobs that should have a next slot and have none (restored from a backup, say) get one from now, from each
   * enabled schedule lacking one: the clock reads next slots from the table. On start and on every repair pass.
   */
  async restoreNextSlots(now = new Date()): Promise<number> {
    const jobs = await this.resources.prisma.job.findMany({
      where: { enabled: true, nextRunAt: null, schedules: { some: { enabled: true } } },
      include: { schedules: { where: { enabled: true } } },
    });
    let restored = 0;
    for (const job of jobs) {
      let earliest: Date | null = null;
      for (const schedule of job.schedules) {
        const next = schedule.nextRunAt ?? nextFireTimes(scheduleFromJob(schedule), { after: now, count: 1, anchor: now })[0] ?? null;
        if (!next) continue;
        if (!schedule.nextRunAt) await this.resources.prisma.jobSchedule.update({ where: { id: schedule.id }, data: { nextRunAt: next } });
        if (!earliest || next < earliest) earliest = next;
      }
      if (!earliest) continue;
      await this.resources.prisma.job.update({ where: { id: job.id }, data: { nextRunAt: earliest } });
      restored += 1;
    }
    return restored;
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
      let skipped: string | null = null;
      const verdict = calendars.length > 0 ? judgeSlot(slot, calendars) : ({ allowed: true } as const);
      if (late && job.misfirePolicy === 'SKIP') {
        skipped = misfireSkip(schedule, slot, now);
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
        if (previous) skipped = overlapSkip(previous.id);
      }
      const fields = { since: await lastSuccessStart(tx, job.id), maxAttempts: this.creation.maxAttempts(job), late, skipped, movedReason: row.movedReason };
      const [created] = await this.creation.insert([slotRun(job, row, slot, now, fields)], prismaSql(tx));
      run = created ?? null;
    }

    const { nextRunAt, disabledReason } = scheduleAfterFiring(row, { runCount: row.runCount + (exists ? 0 : 1), late, slot, now });
    await tx.jobSchedule.update({
      where: { id: row.id },
      data: { runCount: row.runCount + (exists ? 0 : 1), nextRunAt, movedFrom: null, movedReason: null, ...(disabledReason ? { enabled: false, disabledReason } : {}) },
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
    const { nextRunAt, disabledReason } = settledJob(schedules, now);
    if (nextRunAt) return tx.job.update({ where: { id: job.id }, data: { nextRunAt } });
    return tx.job.update({ where: { id: job.id }, data: { nextRunAt: null, enabled: false, disabledReason } });
  }
}

/** The run a due slot becomes: queued, or skipped with the reason (`skipped`); a late one says what it catches up on. */
function slotRun(
  job: Pick<Job, 'id' | 'args'>,
  row: JobSchedule,
  slot: Date,
  now: Date,
  fields: { since: Date | null; maxAttempts: number; late: boolean; skipped: string | null; movedReason: string | null },
): NewRun {
  const { since, maxAttempts, late, skipped, movedReason } = fields;
  // A moved slot is still its original slot: one run per (job, schedule, slot), and the grid it came from.
  const original = row.movedFrom ?? slot;
  return {
    jobId: job.id,
    trigger: 'SCHEDULE',
    occurrenceKey: occurrenceKey(job.id, row.id, original),
    scheduleId: row.id,
    scheduledFor: slot,
    args: scheduleArgs(job, row),
    since,
    maxAttempts,
    late,
    status: skipped ? 'SKIPPED' : 'QUEUED',
    statusReason: skipped ?? (late ? `late: one catch-up run for ${describeMissed(scheduleFromJob(row), slot, now)} missed while no worker was up` : movedReason),
  };
}

function misfireSkip(schedule: Schedule, slot: Date, now: Date): string {
  return `missed while no worker was up (${describeMissed(schedule, slot, now)}); misfire policy: skip`;
}

function overlapSkip(previousRunId: string): string {
  return `previous run ${previousRunId} was still running; overlap policy: skip`;
}

/**
 * A fired schedule's next slot, or why it has none. After a misfire the missed slots are gone: the next slot is the
 * first one after now (on the same grid). After a moved slot, the slots it was moved over are gone too: the next
 * one is the first after it.
 */
function scheduleAfterFiring(row: JobSchedule, { runCount, late, slot, now }: { runCount: number; late: boolean; slot: Date; now: Date }): { nextRunAt: Date | null; disabledReason: string | null } {
  const [next] = nextFireTimes(scheduleFromJob({ ...row, runCount }), { after: late ? now : slot, count: 1, anchor: row.movedFrom ?? slot });
  if (next) return { nextRunAt: next, disabledReason: null };
  let disabledReason: string;
  if (row.runLimit !== null && runCount >= row.runLimit) disabledReason = `run limit of ${row.runLimit} reached`;
  else if (row.scheduleKind === 'ONCE') disabledReason = 'its one scheduled run has started';
  // A recurring schedule runs out only at its end date: the next slot would fall after it, maybe not yet passed.
  else if (row.endAt) disabledReason = `end date reached (${row.endAt.toISOString()})`;
  else disabledReason = 'its schedule has no further fire time';
  return { nextRunAt: null, disabledReason };
}

/** A job's next run: the earliest of its schedules'; none left disables the job, saying why. */
function settledJob(schedules: readonly JobSchedule[], now: Date): { nextRunAt: Date | null; disabledReason: string | null } {
  const next = schedules.filter((s) => s.enabled && s.nextRunAt).map((s) => s.nextRunAt!).sort((a, b) => a.getTime() - b.getTime())[0];
  if (next) return { nextRunAt: next, disabledReason: null };
  const reasons = schedules.filter((s) => s.disabledReason).map((s) => (schedules.length > 1 ? `${scheduleName(s)}: ${s.disabledReason}` : s.disabledReason!));
  return { nextRunAt: null, disabledReason: reasons.length > 0 ? reasons.join('; ') : `no schedule has a fire time after ${now.toISOString()}` };
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
