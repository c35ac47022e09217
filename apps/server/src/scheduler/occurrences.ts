// Timers for scheduled jobs: exactly one Agenda entry per enabled scheduled job, holding the next slot.
// When it fires, the slot becomes a run (once: the occurrence key is unique), misfire and overlap policies
// apply, and the entry moves to the next slot. Sundial computes the slots itself (services/schedule), so the
// UI's preview and the real fire times come from one place and timezones hold (Agenda's repeatAt ignores them).
import type { Agenda, Job as AgendaJob } from 'agenda';
import type { Job, Prisma, PrismaClient, Run } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { JobTimers } from '../services/jobs.js';
import { ACTIVE_STATUSES } from '../services/run-status.js';
import { lastSuccessStart, type RunDispatcher, type RunService } from '../services/runs.js';
import { missedOccurrences, nextFireTimes, scheduleFromJob, type Schedule } from '../services/schedule.js';

export const OCCURRENCE_JOB = 'sundial.occurrence';

/** Timers may fire a little before their slot (clock skew between processes); that still counts as the slot. */
const EARLY_TOLERANCE_MS = 1000;

export interface OccurrenceJobData {
  jobId: string;
}

export function createJobTimers(agenda: Agenda): JobTimers {
  return {
    async sync(job: Job) {
      if (!job.enabled || job.scheduleKind === 'MANUAL' || !job.nextRunAt) {
        await agenda.cancel({ name: OCCURRENCE_JOB, data: { jobId: job.id } });
        return;
      }
      const data: OccurrenceJobData = { jobId: job.id };
      // The unique key is a constant path; its value is a uuid we generated: no user input reaches it.
      await agenda.create(OCCURRENCE_JOB, data).unique({ 'data.jobId': job.id }).schedule(job.nextRunAt).save();
    },
    async remove(jobId: string) {
      await agenda.cancel({ name: OCCURRENCE_JOB, data: { jobId } });
    },
  };
}

export interface OccurrenceDeps {
  prisma: PrismaClient;
  runs: RunService;
  dispatcher: RunDispatcher;
  bus: RealtimeBus;
  logger: Logger;
  /** A slot older than this when it fires was missed (no worker was up): the misfire policy applies. */
  misfireThresholdMs: number;
}

/** A firing that failed (database busy or unreachable) is tried again this much later. */
const FIRE_RETRY_MS = 1000;

/** The Agenda handler of an occurrence entry. */
export function createOccurrenceHandler(deps: OccurrenceDeps) {
  const fireDue = fireDueSlot(deps);
  return async (entry: AgendaJob<OccurrenceJobData>): Promise<void> => {
    try {
      await fireDue(entry);
    } catch (error) {
      // Agenda has already cleared this one-time entry's next run time; a handler that threw would leave the job
      // without a timer for good. The jobs table still names the due slot: look again shortly.
      deps.logger.warn(`job ${entry.attrs.data.jobId}: firing its schedule failed, trying again: ${(error as Error).message}`);
      entry.schedule(new Date(Date.now() + FIRE_RETRY_MS));
    }
  };
}

function fireDueSlot(deps: OccurrenceDeps) {
  return async (entry: AgendaJob<OccurrenceJobData>): Promise<void> => {
    const { jobId } = entry.attrs.data;
    const now = new Date();
    const outcome = await deps.prisma.$transaction(async (tx) => {
      // Row lock: a job edit and a firing of the same job do not interleave.
      const [job] = await tx.$queryRaw<Job[]>`SELECT id FROM "jobs" WHERE id = ${jobId}::uuid FOR UPDATE`;
      if (!job) return null;
      const current = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
      if (!current.enabled || current.scheduleKind === 'MANUAL' || !current.nextRunAt) return null;
      // The jobs table says which slot is due; a timer that fired early (the job changed meanwhile) only moves.
      if (current.nextRunAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { job: current, run: null };
      return fire(tx, deps, current, current.nextRunAt, now);
    });
    if (!outcome) return; // no reschedule: the entry is removed when this handler returns
    if (outcome.run?.status === 'QUEUED') await deps.dispatcher.dispatch(outcome.run, { priority: outcome.job.priority });
    if (outcome.run) deps.bus.publishRunChange({ runId: outcome.run.id, jobId, parentRunId: null, status: outcome.run.status });
    deps.bus.publishJobChange({ jobId, change: 'updated' });
    if (outcome.job.nextRunAt) entry.schedule(outcome.job.nextRunAt);
  };
}

async function fire(tx: Prisma.TransactionClient, deps: OccurrenceDeps, job: Job, slot: Date, now: Date) {
  const schedule = scheduleFromJob(job);
  const late = now.getTime() - slot.getTime() > deps.misfireThresholdMs;
  let run: Run | null = null;
  const occurrenceKey = `${job.id}@${slot.toISOString()}`;
  const exists = await tx.run.findUnique({ where: { occurrenceKey }, select: { id: true } });
  if (!exists) {
    const base = {
      jobId: job.id,
      trigger: 'SCHEDULE' as const,
      occurrenceKey,
      scheduledFor: slot,
      args: job.args as Prisma.InputJsonObject,
      since: await lastSuccessStart(tx, job.id),
      maxAttempts: deps.runs.maxAttempts(job),
      late,
    };
    if (late && job.misfirePolicy === 'SKIP') {
      run = await tx.run.create({
        data: { ...base, status: 'SKIPPED', finishedAt: now, statusReason: `missed while no worker was up (${describeMissed(schedule, slot, now)}); misfire policy: skip` },
      });
    } else {
      const previous = job.overlapPolicy === 'ALLOW' ? null : await tx.run.findFirst({
        where: { jobId: job.id, parentRunId: null, status: { in: [...ACTIVE_STATUSES] } },
        select: { id: true },
      });
      if (previous && job.overlapPolicy === 'SKIP') {
        run = await tx.run.create({
          data: { ...base, status: 'SKIPPED', finishedAt: now, statusReason: `previous run ${previous.id} was still running; overlap policy: skip` },
        });
      } else {
        const reason = late
          ? `late: one catch-up run for ${describeMissed(schedule, slot, now)} missed while no worker was up`
          : null;
        run = await tx.run.create({ data: { ...base, statusReason: reason } });
      }
    }
  }

  const runCount = job.runCount + (exists ? 0 : 1);
  // After a misfire the missed slots are gone: the next slot is the first one after now (on the same grid).
  const [next] = nextFireTimes(scheduleFromJob({ ...job, runCount }), { after: late ? now : slot, count: 1, anchor: slot });
  let disabledReason: string | null = null;
  if (!next) {
    if (job.runLimit !== null && runCount >= job.runLimit) disabledReason = `run limit of ${job.runLimit} reached`;
    else if (job.endAt && job.endAt <= now) disabledReason = `end time ${job.endAt.toISOString()} passed`;
    else if (job.scheduleKind === 'ONCE') disabledReason = 'its one scheduled run has started';
    else disabledReason = 'its schedule has no further fire time';
  }
  const updated = await tx.job.update({
    where: { id: job.id },
    data: {
      runCount,
      nextRunAt: next ?? null,
      ...(disabledReason ? { enabled: false, disabledReason } : {}),
    },
  });
  return { job: updated, run };
}

/** "3 occurrences", counting the slot that fired and the ones after it up to now. */
function describeMissed(schedule: Schedule, slot: Date, now: Date): string {
  const missed = missedOccurrences(schedule, { since: slot, now, max: 1000, anchor: slot });
  const count = missed.slots.length + 1;
  return `${missed.more ? 'over ' : ''}${count} occurrence${count === 1 ? '' : 's'}`;
}

/** On start: one entry for every enabled scheduled job, none for anything else. */
export async function reconcileTimers(prisma: PrismaClient, agenda: Agenda, timers: JobTimers): Promise<{ synced: number; removed: number }> {
  const jobs = await prisma.job.findMany({ where: { enabled: true, scheduleKind: { not: 'MANUAL' } } });
  const wanted = new Set(jobs.map((job) => job.id));
  let removed = 0;
  const { jobs: entries } = await agenda.queryJobs({ name: OCCURRENCE_JOB, limit: 1_000_000 });
  const seen = new Set<string>();
  for (const entry of entries) {
    const jobId = (entry.data as Partial<OccurrenceJobData> | undefined)?.jobId;
    // An entry without a next run time is a timer that will never fire: Agenda clears it when a firing starts, so a
    // worker killed during one leaves it so. It is replaced below from the jobs table.
    if (!jobId || !wanted.has(jobId) || seen.has(jobId) || !entry.nextRunAt) {
      await agenda.cancel({ id: String(entry._id) });
      removed += 1;
    } else {
      seen.add(jobId);
    }
  }
  for (const job of jobs) {
    // A job whose next slot is unknown (e.g. restored from a backup) gets one from now.
    if (!job.nextRunAt) {
      const now = new Date();
      const [next] = nextFireTimes(scheduleFromJob(job), { after: now, count: 1, anchor: now });
      if (!next) continue;
      job.nextRunAt = next;
      await prisma.job.update({ where: { id: job.id }, data: { nextRunAt: next } });
    }
    if (!seen.has(job.id)) await timers.sync(job);
  }
  return { synced: jobs.length, removed };
}
