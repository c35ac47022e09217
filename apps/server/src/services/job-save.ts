// A job saved together with the calendars it attaches (the admin form's one "Save"): JobService's create or update
// and CalendarService's setJobCalendars in ONE transaction, so a job is never half-saved — refused calendars (an
// unknown id, one listed twice) roll the job's own change back too. Every problem is reported at once: the
// calendars are checked (in the transaction) before the job is written, and their problems join the job's.
import type { Job, PrismaClient } from '../db/prisma.js';
import type { CalendarService, JobCalendarsInput } from './calendars.js';
import { AfterCommit } from './db-client.js';
import { ValidationError } from './errors.js';
import type { JobInput, JobPatch, JobService } from './jobs.js';

export interface JobSaveDeps {
  db: PrismaClient;
  jobs: JobService;
  calendars: CalendarService;
}

/** The calendars part of a save: the list replaces the job's (left out: kept), the policy likewise. */
export interface JobCalendarsPatch {
  calendars?: JobCalendarsInput['calendars'] | null;
  blackoutPolicy?: JobCalendarsInput['blackoutPolicy'];
}

export class JobSaveService {
  constructor(private readonly deps: JobSaveDeps) {}

  create(input: JobInput, actorId: string | null, attach: JobCalendarsPatch = {}): Promise<Job> {
    return this.save(attach, (jobs) => jobs.create(input, actorId));
  }

  update(id: string, patch: JobPatch, attach: JobCalendarsPatch = {}): Promise<Job> {
    return this.save(attach, (jobs) => jobs.update(id, patch));
  }

  private async save(attach: JobCalendarsPatch, write: (jobs: JobService) => Promise<Job>): Promise<Job> {
    if (!attach.calendars && !attach.blackoutPolicy) return write(this.deps.jobs);
    const afterCommit = new AfterCommit();
    const job = await this.deps.db.$transaction(async (tx) => {
      const calendars = this.deps.calendars.within(tx, afterCommit);
      const calendarErrors = attach.calendars ? await calendars.checkJobCalendars({ calendars: attach.calendars }) : [];
      let saved: Job;
      try {
        saved = await write(this.deps.jobs.within(tx, afterCommit));
      } catch (error) {
        if (error instanceof ValidationError && calendarErrors.length > 0) throw new ValidationError([...error.errors, ...calendarErrors]);
        throw error;
      }
      if (calendarErrors.length > 0) throw new ValidationError(calendarErrors);
      // Only the policy given: the job keeps the calendars it attaches.
      const attached =
        attach.calendars ?? (await tx.jobCalendar.findMany({ where: { jobId: saved.id }, orderBy: { position: 'asc' }, select: { calendarId: true, mode: true } }));
      return calendars.setJobCalendars(saved.id, { calendars: attached, blackoutPolicy: attach.blackoutPolicy ?? null });
    });
    await afterCommit.run();
    return job;
  }
}

