// Timers for scheduled jobs: exactly one Agenda entry per enabled scheduled job, due at the job's next slot, and one
// per job paused until a time, due then. When it fires, the engine fires the slot or ends the pause
// (engine/occurrences.ts) and the entry moves to the next time it returns.
import type { Agenda, Job as AgendaJob } from 'agenda';
import type { Job, PrismaClient } from '../db/prisma.js';
import { timerAt, type Occurrences } from '../engine/occurrences.js';
import type { Logger } from '../lib/logger.js';
import type { JobTimers } from '../services/jobs.js';
import { nextFireTimes, scheduleFromJob } from '../services/schedule.js';

export const OCCURRENCE_JOB = 'sundial.occurrence';

export interface OccurrenceJobData {
  jobId: string;
}

export function createJobTimers(agenda: Agenda): JobTimers {
  return {
    async sync(job: Job) {
      // Due at the job's next slot, or at the end of its pause (the firing re-enables it then).
      const at = timerAt(job);
      if (!at) {
        await agenda.cancel({ name: OCCURRENCE_JOB, data: { jobId: job.id } });
        return;
      }
      const data: OccurrenceJobData = { jobId: job.id };
      // The unique key is a constant path; its value is a uuid we generated: no user input reaches it.
      await agenda.create(OCCURRENCE_JOB, data).unique({ 'data.jobId': job.id }).schedule(at).save();
    },
    async remove(jobId: string) {
      await agenda.cancel({ name: OCCURRENCE_JOB, data: { jobId } });
    },
  };
}

/** A firing that failed (database busy or unreachable) is tried again this much later. */
const FIRE_RETRY_MS = 1000;

/** The Agenda handler of an occurrence entry. */
export function createOccurrenceHandler(occurrences: Occurrences, logger: Logger) {
  return async (entry: AgendaJob<OccurrenceJobData>): Promise<void> => {
    try {
      const firing = await occurrences.fireDue(entry.attrs.data.jobId);
      // No firing: the job is gone, disabled or manual; the entry is removed when this handler returns.
      const at = firing ? timerAt(firing.job) : null;
      if (at) entry.schedule(at);
    } catch (error) {
      // Agenda has already cleared this one-time entry's next run time; a handler that threw would leave the job
      // without a timer for good. The jobs table still names the due slot: look again shortly.
      logger.warn(`job ${entry.attrs.data.jobId}: firing its schedule failed, trying again: ${(error as Error).message}`);
      entry.schedule(new Date(Date.now() + FIRE_RETRY_MS));
    }
  };
}

/** On start and on every repair pass: one entry for every enabled scheduled job and every paused-until job, none for anything else. */
export async function reconcileTimers(prisma: PrismaClient, agenda: Agenda, timers: JobTimers): Promise<{ synced: number; removed: number }> {
  const jobs = await prisma.job.findMany({
    where: { OR: [{ enabled: true, schedules: { some: { enabled: true } } }, { enabled: false, pausedUntil: { not: null } }] },
    include: { schedules: { where: { enabled: true } } },
  });
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
    // A job whose next slot is unknown (e.g. restored from a backup) gets one from now, from each schedule lacking one.
    if (job.enabled && !job.nextRunAt) {
      const now = new Date();
      let earliest: Date | null = null;
      for (const schedule of job.schedules) {
        const next = schedule.nextRunAt ?? nextFireTimes(scheduleFromJob(schedule), { after: now, count: 1, anchor: now })[0] ?? null;
        if (!next) continue;
        if (!schedule.nextRunAt) await prisma.jobSchedule.update({ where: { id: schedule.id }, data: { nextRunAt: next } });
        if (!earliest || next < earliest) earliest = next;
      }
      if (!earliest) continue;
      job.nextRunAt = earliest;
      await prisma.job.update({ where: { id: job.id }, data: { nextRunAt: earliest } });
    }
    if (!seen.has(job.id)) await timers.sync(job);
  }
  return { synced: jobs.length, removed };
}
