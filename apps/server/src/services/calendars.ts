// The rules for calendars (named, shared sets of time windows in a timezone) and for the calendars a job attaches.
// What a window is and what it makes of a slot is services/schedule/calendars.ts (pure, shared with the engine);
// this service checks and stores them. A change is saved whole or refused with every problem naming its field.
import type { BlackoutPolicy, Calendar, CalendarMode, Job, Prisma } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { AfterCommit, DbClient } from './db-client.js';
import { inTransaction } from './db-client.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from './errors.js';
import { isUuid } from './ids.js';
import { attachedCalendars } from '../engine/calendars.js';
import { validateCalendarRules, type AttachedCalendar, type CalendarEntryInput } from './schedule.js';

export interface CalendarInput {
  name: string;
  description?: string | null;
  timezone?: string | null;
  blackoutForAllJobs?: boolean | null;
  entries: readonly CalendarEntryInput[];
}

export interface JobCalendarsInput {
  blackoutPolicy?: BlackoutPolicy | null;
  calendars: ReadonlyArray<{ calendarId: string; mode: CalendarMode }>;
}

/** Calendars a job may attach at most. */
export const MAX_JOB_CALENDARS = 20;

export interface CalendarServiceDeps {
  db: DbClient;
  bus: Pick<RealtimeBus, 'publishJobChange'>;
  afterCommit?: AfterCommit;
}

export class CalendarService {
  constructor(private readonly deps: CalendarServiceDeps) {}

  /** These rules inside the caller's transaction (a definitions document applied whole). */
  within(tx: Prisma.TransactionClient, afterCommit: AfterCommit): CalendarService {
    return new CalendarService({ ...this.deps, db: tx, afterCommit });
  }

  async get(id: string): Promise<Calendar> {
    const calendar = isUuid(id) ? await this.deps.db.calendar.findUnique({ where: { id } }) : null;
    if (!calendar) throw new NotFoundError('calendar', id);
    return calendar;
  }

  async create(input: CalendarInput): Promise<Calendar> {
    const data = await this.validate(input, null);
    return this.deps.db.calendar.create({ data });
  }

  async update(id: string, input: CalendarInput): Promise<Calendar> {
    await this.get(id);
    const data = await this.validate(input, id);
    const calendar = await this.deps.db.calendar.update({ where: { id }, data });
    await this.jobsChanged(id, data.blackoutForAllJobs);
    return calendar;
  }

  /** Deletes a calendar no job attaches; one still attached is refused, naming the jobs. */
  async delete(id: string): Promise<Calendar> {
    const calendar = await this.get(id);
    const users = await this.deps.db.jobCalendar.findMany({ where: { calendarId: id }, select: { job: { select: { name: true } } }, take: 6 });
    if (users.length > 0) {
      const names = users.slice(0, 5).map((use) => `"${use.job.name}"`).join(', ');
      throw new ConflictError(`calendar "${calendar.name}" is attached to ${names}${users.length > 5 ? ' and more' : ''}; detach it from those jobs first`);
    }
    await this.deps.db.calendar.delete({ where: { id } });
    if (calendar.blackoutForAllJobs) await this.jobsChanged(id, true);
    return calendar;
  }

  /** What is wrong with a job's calendars (too many, unknown ids, one listed twice), each at its field; [] when none. */
  async checkJobCalendars(input: JobCalendarsInput): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (input.calendars.length > MAX_JOB_CALENDARS) errors.push({ field: 'calendars', message: `at most ${MAX_JOB_CALENDARS} calendars per job` });
    const ids = input.calendars.map((entry) => entry.calendarId);
    const found = new Set((await this.deps.db.calendar.findMany({ where: { id: { in: ids.filter(isUuid) } }, select: { id: true } })).map((c) => c.id));
    const seen = new Set<string>();
    input.calendars.forEach((entry, index) => {
      if (!found.has(entry.calendarId)) errors.push({ field: `calendars[${index}].calendarId`, message: `no calendar with id ${entry.calendarId}` });
      else if (seen.has(entry.calendarId)) errors.push({ field: `calendars[${index}].calendarId`, message: 'this calendar is listed twice; attach each calendar once' });
      seen.add(entry.calendarId);
    });
    return errors;
  }

  /** Replaces the calendars a job attaches and its blackout policy (left out: unchanged). */
  async setJobCalendars(jobId: string, input: JobCalendarsInput): Promise<Job> {
    const job = isUuid(jobId) ? await this.deps.db.job.findUnique({ where: { id: jobId } }) : null;
    if (!job) throw new NotFoundError('job', jobId);
    const errors = await this.checkJobCalendars(input);
    if (errors.length > 0) throw new ValidationError(errors);
    const updated = await inTransaction(this.deps.db, async (tx) => {
      await tx.jobCalendar.deleteMany({ where: { jobId } });
      await tx.jobCalendar.createMany({ data: input.calendars.map((entry, position) => ({ jobId, calendarId: entry.calendarId, mode: entry.mode, position })) });
      return tx.job.update({ where: { id: jobId }, data: input.blackoutPolicy ? { blackoutPolicy: input.blackoutPolicy } : {} });
    });
    this.publish([jobId]);
    return updated;
  }

  /** The calendars that judge a job's slots: those it attaches, in order, then every blackout for all jobs. */
  async attachedTo(jobId: string): Promise<AttachedCalendar[]> {
    return attachedCalendars(this.deps.db, jobId);
  }

  private async validate(input: CalendarInput, id: string | null) {
    const errors: FieldError[] = [];
    const name = input.name.trim();
    if (!name) errors.push({ field: 'name', message: 'a calendar needs a name' });
    else if (name.length > 100) errors.push({ field: 'name', message: 'at most 100 characters' });
    else {
      const same = await this.deps.db.calendar.findUnique({ where: { name }, select: { id: true } });
      if (same && same.id !== id) errors.push({ field: 'name', message: `a calendar named "${name}" exists already; calendars have unique names` });
    }
    const description = (input.description ?? '').trim();
    if (description.length > 2000) errors.push({ field: 'description', message: 'at most 2000 characters' });
    const rules = validateCalendarRules(input.timezone ?? 'UTC', input.entries);
    if (!rules.ok) errors.push(...rules.errors);
    if (errors.length > 0 || !rules.ok) throw new ValidationError(errors);
    return {
      name,
      description,
      timezone: rules.timezone,
      blackoutForAllJobs: input.blackoutForAllJobs ?? false,
      entries: rules.entries as unknown as Prisma.InputJsonArray,
    };
  }

  /** Subscribers re-read the jobs whose previews a calendar change alters. */
  private async jobsChanged(calendarId: string, allJobs: boolean): Promise<void> {
    const jobs = allJobs
      ? await this.deps.db.job.findMany({ where: { schedules: { some: {} } }, select: { id: true }, take: 1000 })
      : await this.deps.db.jobCalendar.findMany({ where: { calendarId }, select: { jobId: true } }).then((rows) => rows.map((row) => ({ id: row.jobId })));
    this.publish(jobs.map((job) => job.id));
  }

  private publish(jobIds: string[]): void {
    const effect = () => {
      for (const jobId of jobIds) this.deps.bus.publishJobChange({ jobId, change: 'updated' });
    };
    if (this.deps.afterCommit) this.deps.afterCommit.add(effect);
    else effect();
  }
}
