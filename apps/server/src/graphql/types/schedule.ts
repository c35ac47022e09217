// Schedules: a job's schedule as a nested object, the input forms send, and a preview that validates a schedule
// and shows its next fire times and description before anything is saved.
import type { Job } from '../../db/prisma.js';
import {
  describeSchedule,
  nextFireTimes,
  validateSchedule,
  type FieldError,
  type ScheduleInput,
} from '../../services/schedule.js';
import { builder } from '../builder.js';
import { clamp, FieldErrorRef, ScheduleKindEnum } from './common.js';

export type JobScheduleShape = Pick<
  Job,
  'scheduleKind' | 'cron' | 'timezone' | 'intervalSeconds' | 'runAt' | 'startAt' | 'endAt' | 'runLimit' | 'runCount'
>;

export const JobScheduleRef = builder.objectRef<JobScheduleShape>('JobSchedule').implement({
  description: 'When a job runs on its own. Only the fields of its kind are set.',
  fields: (t) => ({
    kind: t.field({ type: ScheduleKindEnum, resolve: (schedule) => schedule.scheduleKind }),
    cron: t.exposeString('cron', { nullable: true, description: 'CRON: 5 or 6 fields, read in `timezone`.' }),
    timezone: t.exposeString('timezone', { description: 'IANA name; a cron is read in it, dates are shown in it.' }),
    intervalSeconds: t.exposeInt('intervalSeconds', { nullable: true }),
    runAt: t.expose('runAt', { type: 'DateTime', nullable: true, description: 'ONCE: the instant it runs.' }),
    startAt: t.expose('startAt', { type: 'DateTime', nullable: true, description: 'No occurrence before it (inclusive).' }),
    endAt: t.expose('endAt', { type: 'DateTime', nullable: true, description: 'No occurrence after it (inclusive).' }),
    runLimit: t.exposeInt('runLimit', { nullable: true, description: 'At most this many scheduled runs.' }),
    runCount: t.exposeInt('runCount', { description: 'Scheduled occurrences so far, counted against runLimit.' }),
  }),
});

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

export interface ScheduleInputShape {
  kind: JobScheduleShape['scheduleKind'];
  cron?: string | null;
  timezone?: string | null;
  intervalSeconds?: number | null;
  runAt?: Date | null;
  startAt?: Date | null;
  endAt?: Date | null;
  runLimit?: number | null;
}

/** GraphQL's `kind` is the service's `scheduleKind`. */
export function toScheduleInput({ kind, ...rest }: ScheduleInputShape): ScheduleInput {
  return { scheduleKind: kind, ...rest };
}

/** Service field names inside a schedule → the input's names (`scheduleKind` → `kind`), keeping any prefix. */
export function toInputFieldName(field: string): string {
  return field.replace(/(^|\.)scheduleKind$/, '$1kind');
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
