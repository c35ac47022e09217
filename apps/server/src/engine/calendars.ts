// The calendars that judge a job's slots, read for the occurrence firing (in its transaction) and for the preview:
// the job's own, in their order, then every calendar flagged as a blackout for all jobs.
import type { Calendar, Prisma, PrismaClient } from '../db/prisma.js';
import { storedEntries, type AttachedCalendar, type CalendarRules } from '../services/schedule.js';

function rules(calendar: Calendar): CalendarRules {
  return { name: calendar.name, timezone: calendar.timezone, entries: storedEntries(calendar.entries) };
}

export async function attachedCalendars(db: PrismaClient | Prisma.TransactionClient, jobId: string): Promise<AttachedCalendar[]> {
  const own = await db.jobCalendar.findMany({ where: { jobId }, orderBy: { position: 'asc' }, include: { calendar: true } });
  const global = await db.calendar.findMany({ where: { blackoutForAllJobs: true }, orderBy: { name: 'asc' } });
  return [
    ...own.map((attached) => ({ calendar: rules(attached.calendar), mode: attached.mode })),
    ...global.map((calendar) => ({ calendar: rules(calendar), mode: 'NEVER_INSIDE' as const })),
  ];
}
