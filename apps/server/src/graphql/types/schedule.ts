// Schedules: a job's schedules (JobSchedule), the inputs forms send (one schedule; a list of them), and previews
// that validate schedules and show their next fire times — which schedule fires each time — before anything is saved.
import type { JobSchedule } from '../../db/prisma.js';
import {
  describeSchedule,
  firstSlotAfter,
  mergedSlots,
  nextFireTimes,
  scheduleFromJob,
  validateSchedule,
  validateScheduleEntries,
  type FieldError,
  type ScheduleEntryInput,
  type ScheduleInput,
} from '../../services/schedule.js';
import { builder } from '../builder.js';
import { clamp, FieldErrorRef, ScheduleKindEnum } from './common.js';

export const JobScheduleRef = builder.prismaObject('JobSchedule', {
  description: "One of a job's schedules: when it runs on its own. Only the fields of its kind are set.",
  fields: (t) => ({
    id: t.exposeID('id'),
    label: t.exposeString('label', { nullable: true, description: 'A name people recognise it by; null: described by its timing.' }),
    position: t.exposeInt('position', { description: "Its place in the job's list, from 0." }),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled schedule makes no runs; the job\'s other schedules go on.' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why Sundial disabled it (end reached, limit reached).' }),
    kind: t.field({ type: ScheduleKindEnum, resolve: (schedule) => schedule.scheduleKind }),
    cron: t.exposeString('cron', { nullable: true, description: 'CRON: 5 or 6 fields, read in `timezone`.' }),
    timezone: t.exposeString('timezone', { description: 'IANA name; a cron is read in it, dates are shown in it.' }),
    intervalSeconds: t.exposeInt('intervalSeconds', { nullable: true }),
    runAt: t.expose('runAt', { type: 'DateTime', nullable: true, description: 'ONCE: the instant it runs.' }),
    startAt: t.expose('startAt', { type: 'DateTime', nullable: true, description: 'No occurrence before it (inclusive).' }),
    endAt: t.expose('endAt', { type: 'DateTime', nullable: true, description: 'No occurrence after it (inclusive).' }),
    runLimit: t.exposeInt('runLimit', { nullable: true, description: 'At most this many runs from this schedule.' }),
    runCount: t.exposeInt('runCount', { description: 'Occurrences of this schedule so far, counted against runLimit.' }),
    args: t.expose('args', { type: 'JSON', nullable: true, description: "Overrides the job's args key by key for this schedule's runs." }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: 'Its next slot; null when it has none or the job is paused.' }),
    description: t.string({ description: 'E.g. "At 09:00, Monday through Friday (Europe/Madrid)".', resolve: (schedule) => describeSchedule(scheduleFromJob(schedule)) }),
  }),
});

/** A schedule's name in lists: its label, else its description. */
export function scheduleTitle(schedule: Pick<JobSchedule, 'label'> & Parameters<typeof scheduleFromJob>[0]): string {
  return schedule.label ?? describeSchedule(scheduleFromJob(schedule));
}

export const ScheduleInputRef = builder.inputType('ScheduleInput', {
  description: 'A schedule as a form sends it. Give only the fields of its kind; errors name the field.',
  fields: (t) => ({
    kind: t.field({ type: ScheduleKindEnum }),
    cron: t.string({ required: false }),
    timezone: t.string({ required: false, description: 'IANA name; default UTC.' }),
    intervalSeconds: t.int({ required: false }),
    runAt: t.field({ type: 'DateTime', required: false }),
    startAt: t.field({ type: 'DateTime', required: false }),
    endAt: t.field({ type: 'DateTime', required: false }),
    runLimit: t.int({ required: false }),
  }),
});

export const ScheduleEntryInputRef = builder.inputType('ScheduleEntryInput', {
  description:
    "One of a job's schedules as a form sends it: CRON, INTERVAL or ONCE with the fields of its kind, and its own label, " +
    "enabled flag and args override. Give the id of a schedule the job has to keep it (its run count carries on while its timing stays the same).",
  fields: (t) => ({
    id: t.id({ required: false, description: "One of this job's schedules; empty: a new one." }),
    label: t.string({ required: false }),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
    args: t.field({ type: 'JSON', required: false, description: "Overrides the job's args key by key for this schedule's runs (validated with them)." }),
    kind: t.field({ type: ScheduleKindEnum }),
    cron: t.string({ required: false }),
    timezone: t.string({ required: false, description: 'IANA name; default UTC.' }),
    intervalSeconds: t.int({ required: false }),
    runAt: t.field({ type: 'DateTime', required: false }),
    startAt: t.field({ type: 'DateTime', required: false }),
    endAt: t.field({ type: 'DateTime', required: false }),
    runLimit: t.int({ required: false }),
  }),
});

export interface ScheduleInputShape {
  kind: JobSchedule['scheduleKind'];
  cron?: string | null;
  timezone?: string | null;
  intervalSeconds?: number | null;
  runAt?: Date | null;
  startAt?: Date | null;
  endAt?: Date | null;
  runLimit?: number | null;
}

export interface ScheduleEntryInputShape extends ScheduleInputShape {
  id?: string | number | null;
  label?: string | null;
  enabled?: boolean | null;
  args?: unknown;
}

/** GraphQL's `kind` is the service's `scheduleKind`. */
export function toScheduleInput({ kind, ...rest }: ScheduleInputShape): ScheduleInput {
  return { scheduleKind: kind, ...rest };
}

export function toScheduleEntryInput({ kind, id, args, ...rest }: ScheduleEntryInputShape): ScheduleEntryInput {
  return {
    scheduleKind: kind,
    ...rest,
    ...(id !== undefined && id !== null ? { id: String(id) } : {}),
    // The service's schema judges the shape (a JSON object) and names the field.
    ...(args !== undefined ? { args: args as Record<string, unknown> | null } : {}),
  };
}

/** Service field names inside a schedule → the input's names (`scheduleKind` → `kind`), keeping any prefix. */
export function toInputFieldName(field: string): string {
  return field.replace(/scheduleKind$/, 'kind');
}

interface SchedulePreview {
  valid: boolean;
  fieldErrors: FieldError[];
  description: string | null;
  nextFireTimes: Date[];
}

const SchedulePreviewRef = builder.objectRef<SchedulePreview>('SchedulePreview').implement({
  description: 'What a schedule would do if saved now: its problems, or its description and next fire times.',
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    fieldErrors: t.field({
      type: [FieldErrorRef],
      description: 'Every problem, each naming its field of ScheduleInput (`cron`, `timezone`, …).',
      resolve: (preview) => preview.fieldErrors.map((error) => ({ ...error, field: toInputFieldName(error.field) })),
    }),
    description: t.exposeString('description', { nullable: true, description: 'E.g. "At 09:00, Monday through Friday (Europe/Madrid)".' }),
    nextFireTimes: t.field({ type: ['DateTime'], resolve: (preview) => preview.nextFireTimes }),
  }),
});

builder.queryField('schedulePreview', (t) =>
  t.field({
    type: SchedulePreviewRef,
    authScopes: { permission: 'JOBS_READ' },
    description: 'Validates a schedule and returns its description and next fire times (for forms, before saving).',
    args: {
      input: t.arg({ type: ScheduleInputRef }),
      count: t.arg.int({ required: false, defaultValue: 5, description: 'How many fire times (1–50).' }),
    },
    resolve: (_root, { input, count }) => {
      const now = new Date();
      const checked = validateSchedule(toScheduleInput(input), now);
      if (!checked.ok) return { valid: false, fieldErrors: checked.errors, description: null, nextFireTimes: [] };
      return {
        valid: true,
        fieldErrors: [],
        description: describeSchedule(checked.schedule),
        nextFireTimes: nextFireTimes(checked.schedule, { after: now, count: clamp(count, 5, 1, 50), anchor: now }),
      };
    },
  }),
);

interface PreviewSlot {
  at: Date;
  /** Index of the schedule in the list sent. */
  scheduleIndex: number;
  scheduleTitle: string;
}

const PreviewSlotRef = builder.objectRef<PreviewSlot>('SchedulesPreviewSlot').implement({
  description: 'One upcoming run of a list of schedules, and which schedule makes it.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    scheduleIndex: t.exposeInt('scheduleIndex', { description: 'The schedule that fires, by its index in the list sent.' }),
    scheduleTitle: t.exposeString('scheduleTitle', { description: 'Its label, else its description.' }),
  }),
});

interface SchedulesPreview {
  valid: boolean;
  fieldErrors: Array<{ field: string; message: string }>;
  descriptions: Array<string | null>;
  slots: PreviewSlot[];
}

const SchedulesPreviewRef = builder.objectRef<SchedulesPreview>('SchedulesPreview').implement({
  description: "What a job's list of schedules would do if saved now: its problems, or each one's description and the next runs of all of them together.",
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    fieldErrors: t.field({
      type: [FieldErrorRef],
      description: 'Every problem, each named `[index].field` (e.g. `[1].cron`).',
      resolve: (preview) => preview.fieldErrors.map((error) => ({ ...error, field: toInputFieldName(error.field) })),
    }),
    descriptions: t.stringList({ nullable: { list: false, items: true }, description: 'Per schedule, in the order sent; null for one with problems.', resolve: (preview) => preview.descriptions }),
    slots: t.field({ type: [PreviewSlotRef], description: 'The next runs, earliest first, each naming its schedule.', resolve: (preview) => preview.slots }),
  }),
});

builder.queryField('schedulesPreview', (t) =>
  t.field({
    type: SchedulesPreviewRef,
    authScopes: { permission: 'JOBS_READ' },
    description: "Validates a job's list of schedules and returns the next runs of all of them, each naming the schedule that fires (for forms, before saving).",
    args: {
      inputs: t.arg({ type: [ScheduleEntryInputRef] }),
      count: t.arg.int({ required: false, defaultValue: 5, description: 'How many runs (1–50).' }),
    },
    resolve: (_root, { inputs, count }) => {
      const now = new Date();
      const entries = inputs.map((input) => toScheduleEntryInput({ ...input, id: null }));
      // Each entry alone, so a list with one bad schedule still describes the others.
      const descriptions = entries.map((entry) => {
        const one = validateScheduleEntries([entry], [], now);
        return one.ok ? describeSchedule(one.entries[0]!.schedule) : null;
      });
      const checked = validateScheduleEntries(entries, [], now);
      if (!checked.ok) return { valid: false, fieldErrors: checked.errors, descriptions, slots: [] };
      const sources = checked.entries.map((entry, index) => ({
        key: index,
        schedule: entry.schedule,
        first: entry.enabled ? firstSlotAfter(entry.schedule, now) : null,
      }));
      const slots = mergedSlots(sources, clamp(count, 5, 1, 50)).map(({ at, key }) => ({
        at,
        scheduleIndex: key,
        scheduleTitle: checked.entries[key]!.label ?? descriptions[key] ?? '',
      }));
      return { valid: true, fieldErrors: [], descriptions, slots };
    },
  }),
);
