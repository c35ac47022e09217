// Calendars in the API: named, shared sets of time windows (date ranges, weekly windows, yearly dates) in a timezone;
// the calendars a job attaches (only inside / never inside) with its blackout policy; and "pause until" on a job.
// The rules are services/calendars.ts and services/schedule/calendars.ts; the guide is docs/calendars.md.
import type { CalendarEntry } from '../../services/schedule.js';
import { calendarEntryKinds, storedEntries, weekdays } from '../../services/schedule.js';
import { builder } from '../builder.js';
import { DOMAIN_ERRORS, isUuid } from './common.js';
import { JobRef } from './job.js';

export const CalendarModeEnum = builder.enumType('CalendarMode', {
  description: 'How a job uses a calendar: its slots run ONLY_INSIDE its windows, or NEVER_INSIDE them (a blackout).',
  values: ['ONLY_INSIDE', 'NEVER_INSIDE'] as const,
});

export const BlackoutPolicyEnum = builder.enumType('BlackoutPolicy', {
  description:
    "What a slot the job's calendars rule out becomes: SKIP records a skipped run naming the calendar; MOVE runs it once at " +
    'the end of the window (the slots inside the window become that one run).',
  values: ['SKIP', 'MOVE'] as const,
});

const CalendarEntryKindEnum = builder.enumType('CalendarEntryKind', {
  description: 'DATE_RANGE: whole local days from `from` to `to`; WEEKLY: `startTime`–`endTime` on `days` (an end at or before the start ends the next day); YEARLY: the whole local day `month`/`day` every year.',
  values: calendarEntryKinds,
});

const WeekdayEnum = builder.enumType('Weekday', { values: weekdays });

const CalendarEntryRef = builder.objectRef<CalendarEntry>('CalendarEntry').implement({
  description: "One rule of a calendar; the fields of its kind are set, the others null.",
  fields: (t) => ({
    kind: t.field({ type: CalendarEntryKindEnum, resolve: (entry) => entry.kind }),
    label: t.string({ nullable: true, resolve: (entry) => entry.label }),
    from: t.string({ nullable: true, description: 'DATE_RANGE: first day, YYYY-MM-DD.', resolve: (entry) => (entry.kind === 'DATE_RANGE' ? entry.from : null) }),
    to: t.string({ nullable: true, description: 'DATE_RANGE: last day (included), YYYY-MM-DD.', resolve: (entry) => (entry.kind === 'DATE_RANGE' ? entry.to : null) }),
    days: t.field({ type: [WeekdayEnum], nullable: true, description: 'WEEKLY: the days its windows start on.', resolve: (entry) => (entry.kind === 'WEEKLY' ? entry.days : null) }),
    startTime: t.string({ nullable: true, description: 'WEEKLY: local start, HH:MM.', resolve: (entry) => (entry.kind === 'WEEKLY' ? entry.startTime : null) }),
    endTime: t.string({ nullable: true, description: 'WEEKLY: local end, HH:MM.', resolve: (entry) => (entry.kind === 'WEEKLY' ? entry.endTime : null) }),
    month: t.int({ nullable: true, description: 'YEARLY: 1–12.', resolve: (entry) => (entry.kind === 'YEARLY' ? entry.month : null) }),
    day: t.int({ nullable: true, description: 'YEARLY: day of the month.', resolve: (entry) => (entry.kind === 'YEARLY' ? entry.day : null) }),
  }),
});

export const CalendarRef = builder.prismaObject('Calendar', {
  description: 'A named, shared set of time windows in one IANA timezone. Jobs attach it as only-inside or never-inside.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    timezone: t.exposeString('timezone', { description: 'The IANA timezone its dates and times are read in.' }),
    blackoutForAllJobs: t.exposeBoolean('blackoutForAllJobs', { description: 'A blackout (never inside) for every job, whatever the job attaches.' }),
    entries: t.field({ type: [CalendarEntryRef], resolve: (calendar) => storedEntries(calendar.entries) }),
    jobCount: t.relationCount('jobs', { description: 'How many jobs attach it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const JobCalendarRef = builder.prismaObject('JobCalendar', {
  description: 'A calendar a job attaches, and how.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    mode: t.expose('mode', { type: CalendarModeEnum }),
    calendar: t.relation('calendar'),
  }),
});

builder.prismaObjectFields('Job', (t) => ({
  calendars: t.relation('calendars', { description: 'The calendars it attaches, in order (a blackout for all jobs applies too).', query: { orderBy: { position: 'asc' } } }),
  blackoutPolicy: t.expose('blackoutPolicy', { type: BlackoutPolicyEnum }),
  pausedUntil: t.expose('pausedUntil', { type: 'DateTime', nullable: true, description: 'Paused until then: re-enabled automatically at this time.' }),
}));
void JobCalendarRef;

const CalendarEntryInputRef = builder.inputType('CalendarEntryInput', {
  description: 'One rule: set the fields of its kind. DATE_RANGE: from (and to; left out: one day). WEEKLY: days, startTime, endTime. YEARLY: month, day.',
  fields: (t) => ({
    kind: t.field({ type: CalendarEntryKindEnum, required: true }),
    label: t.string({ required: false }),
    from: t.string({ required: false, description: 'YYYY-MM-DD' }),
    to: t.string({ required: false, description: 'YYYY-MM-DD, included' }),
    days: t.field({ type: [WeekdayEnum], required: false }),
    startTime: t.string({ required: false, description: 'HH:MM local' }),
    endTime: t.string({ required: false, description: 'HH:MM local; at or before startTime: the next day' }),
    month: t.int({ required: false }),
    day: t.int({ required: false }),
  }),
});

const CalendarInputRef = builder.inputType('CalendarInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    timezone: t.string({ required: false, description: 'IANA name, e.g. Europe/Berlin; default UTC.' }),
    blackoutForAllJobs: t.boolean({ required: false, description: 'A blackout for every job; default false.' }),
    entries: t.field({ type: [CalendarEntryInputRef], required: true }),
  }),
});

export const JobCalendarInputRef = builder.inputType('JobCalendarInput', {
  fields: (t) => ({
    calendarId: t.id({ required: true }),
    mode: t.field({ type: CalendarModeEnum, required: true }),
  }),
});

const JobCalendarsInputRef = builder.inputType('JobCalendarsInput', {
  fields: (t) => ({
    calendars: t.field({ type: [JobCalendarInputRef], required: true, description: 'Replaces the calendars the job attaches (empty: none).' }),
    blackoutPolicy: t.field({ type: BlackoutPolicyEnum, required: false, description: 'Left out: unchanged.' }),
  }),
});

type EntryInput = typeof CalendarEntryInputRef.$inferInput;
const toEntries = (entries: readonly EntryInput[]) => entries.map((entry) => ({ ...entry, days: entry.days ?? null }));

builder.queryFields((t) => ({
  calendars: t.prismaField({
    type: [CalendarRef],
    authScopes: { permission: 'JOBS_READ' },
    description: 'Every calendar, by name; with `search`, those whose name contains it (any case), at most `first`.',
    args: {
      search: t.arg.string({ required: false, description: 'Part of the name, any case.' }),
      first: t.arg.int({ required: false, description: 'At most this many (1–100); default all.' }),
    },
    resolve: (query, _root, { search, first }, context) =>
      context.prisma.calendar.findMany({
        ...query,
        where: search?.trim() ? { name: { contains: search.trim(), mode: 'insensitive' } } : {},
        orderBy: { name: 'asc' },
        ...(first != null ? { take: Math.min(Math.max(first, 1), 100) } : {}),
      }),
  }),
  calendar: t.prismaField({
    type: CalendarRef,
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, context) => (isUuid(String(id)) ? context.prisma.calendar.findUnique({ ...query, where: { id: String(id) } }) : null),
  }),
}));

builder.mutationFields((t) => ({
  createCalendar: t.field({
    type: CalendarRef,
    authScopes: { permission: 'JOBS_WRITE' },
    args: { input: t.arg({ type: CalendarInputRef }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'calendar' } },
    resolve: (_root, { input }, context) => context.services.calendars.create({ ...input, entries: toEntries(input.entries) }),
  }),
  updateCalendar: t.field({
    type: CalendarRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Replaces the calendar: name, timezone, flag and entries. Jobs that attach it judge their next slots by it at once.',
    args: { id: t.arg.id(), input: t.arg({ type: CalendarInputRef }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'calendar' } },
    resolve: (_root, { id, input }, context) => context.services.calendars.update(String(id), { ...input, entries: toEntries(input.entries) }),
  }),
  deleteCalendar: t.field({
    type: 'ID',
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Deletes a calendar no job attaches (one still attached is refused, naming the jobs).',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deletedCalendarId' } },
    resolve: async (_root, { id }, context) => (await context.services.calendars.delete(String(id))).id,
  }),
  setJobCalendars: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Replaces the calendars a job attaches and, when given, its blackout policy.',
    args: { jobId: t.arg.id(), input: t.arg({ type: JobCalendarsInputRef }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { jobId, input }, context) =>
      context.services.calendars.setJobCalendars(String(jobId), {
        blackoutPolicy: input.blackoutPolicy ?? null,
        calendars: input.calendars.map((entry) => ({ calendarId: String(entry.calendarId), mode: entry.mode })),
      }),
  }),
  pauseJobUntil: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Pauses the job now and re-enables it at `until` (audited as done by Sundial); the slots in between never run. Enabling or disabling it by hand ends the pause.',
    args: { id: t.arg.id(), until: t.arg({ type: 'DateTime' }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { id, until }, context) => context.services.jobs.pauseUntil(String(id), until),
  }),
}));
