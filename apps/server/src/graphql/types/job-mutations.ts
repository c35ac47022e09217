// Creating, changing, pausing, deleting and running jobs. The input types follow the job schema
// (@sundial/job-schema): one GraphQL field per schema field (a field added there fails to compile here until the
// API says how it is sent), descriptions from the schema, and the service judges every value with the same schema.
import { jobInputSchema, jsonObject, nullableJobFields, type JobField } from '@sundial/job-schema';
import { ValidationError } from '../../services/errors.js';
import type { JobInput, JobPatch } from '../../services/jobs.js';
import { builder, type SchemaTypes } from '../builder.js';
import { DOMAIN_ERRORS, MisfirePolicyEnum, OverlapPolicyEnum } from './common.js';
import type { JobCalendarsPatch } from '../../services/job-save.js';
import { BlackoutPolicyEnum, JobCalendarInputRef } from './calendar.js';
import { FollowUpInputRef, toFollowUps } from './chains.js';
import { JobRef } from './job.js';
import { NotificationOutcomeEnum } from './notification.js';
import { RunRef } from './run.js';
import { ScheduleEntryInputRef, toInputFieldName, toScheduleEntryInput, type ScheduleEntryInputShape } from './schedule.js';

const describe = (field: JobField) => jobInputSchema.shape[field].description;

/**
 * The fields a job is made of, shared by create and update: creating requires name and action, updating changes
 * only the fields given (for retries, retryBackoffMs, timeoutMs and concurrency, null means the action's default).
 * `enabled` is create's own (update has enableJob and disableJob).
 */
function jobInputFields(t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>, creating: boolean) {
  return {
    key: t.string({ required: false, description: describe('key') }),
    name: t.string({ required: creating }),
    description: t.string({ required: false }),
    action: t.string({ required: creating }),
    args: t.field({ type: 'JSON', required: false, description: describe('args') }),
    perUser: t.boolean({ required: false }),
    targetUserIds: t.idList({ required: false }),
    targetRoleIds: t.idList({ required: false }),
    schedules: t.field({
      type: [ScheduleEntryInputRef],
      required: false,
      description: creating
        ? 'Any number of schedules; the job runs at the earliest of their slots. Default: none (manual only).'
        : "Replaces the list. A schedule given with its id and the same timing keeps its run count and next slot; others start counting again.",
    }),
    retries: t.int({ required: false }),
    retryBackoffMs: t.int({ required: false }),
    timeoutMs: t.int({ required: false }),
    queue: t.string({
      required: false,
      description: 'The queue its runs go to: only workers whose jobs.queues include it run them. Letters, digits, dots, dashes, underscores. Default: default.',
    }),
    priority: t.int({ required: false, description: 'From -100 to 100: within a queue, runs of higher priority start first. Default: 0.' }),
    concurrency: t.int({ required: false }),
    overlapPolicy: t.field({ type: OverlapPolicyEnum, required: false }),
    misfirePolicy: t.field({ type: MisfirePolicyEnum, required: false }),
    notifyOn: t.field({ type: [NotificationOutcomeEnum], required: false, description: 'Run outcomes that notify; empty: none.' }),
    notifyEmails: t.stringList({ required: false }),
    notifyUserIds: t.idList({ required: false, description: 'Users notified at their e-mail address.' }),
    notifyRoleIds: t.idList({ required: false, description: 'Roles whose active members are notified.' }),
    notifyWebhooks: t.stringList({ required: false, description: 'http(s) URLs that get a signed POST.' }),
    followUps: t.field({
      type: [FollowUpInputRef],
      required: false,
      description: 'Jobs to start when a run of this job ends (chains); replaces the list. Left out: unchanged.',
    }),
  } satisfies Record<Exclude<JobField, 'enabled' | 'schedule'>, unknown>;
}

/**
 * The calendars a job attaches, saved with the job in one transaction (as setJobCalendars would, afterwards): a
 * refused calendar leaves the job unchanged (or not created).
 */
function jobCalendarFields(t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>) {
  return {
    calendars: t.field({
      type: [JobCalendarInputRef],
      required: false,
      description: 'Replaces the calendars the job attaches (empty: none). Left out: unchanged (none for a new job).',
    }),
    blackoutPolicy: t.field({ type: BlackoutPolicyEnum, required: false, description: 'Left out: unchanged (SKIP for a new job).' }),
  };
}

const CreateJobInput = builder.inputType('CreateJobInput', {
  fields: (t) => ({
    ...jobInputFields(t, true),
    ...jobCalendarFields(t),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
  }),
});

const UpdateJobInput = builder.inputType('UpdateJobInput', {
  description: "Only the fields given change. For retries, retryBackoffMs, timeoutMs and concurrency, null means the action's default.",
  fields: (t) => ({ ...jobInputFields(t, false), ...jobCalendarFields(t) }),
});

/** The input's calendars part as the service takes it. */
function toCalendarsPatch(input: { calendars?: ReadonlyArray<{ calendarId: string | number; mode: 'ONLY_INSIDE' | 'NEVER_INSIDE' }> | null; blackoutPolicy?: 'SKIP' | 'MOVE' | null }): JobCalendarsPatch {
  return {
    calendars: input.calendars?.map((entry) => ({ calendarId: String(entry.calendarId), mode: entry.mode })) ?? null,
    blackoutPolicy: input.blackoutPolicy ?? null,
  };
}

type JobFieldsInput = Partial<Record<JobField, unknown>>;

const KEEPS_NULL = new Set<JobField>(nullableJobFields);
const ID_LISTS = new Set<JobField>(['targetUserIds', 'targetRoleIds', 'notifyUserIds', 'notifyRoleIds']);

/**
 * GraphQL input → service patch, field by field of the schema. Absent fields stay undefined (unchanged); where the
 * schema gives null a meaning (no key, the action's default) an explicit null is kept; for the rest null means
 * absent. GraphQL has checked the types it knows; the service checks every value against the schema.
 */
function toJobPatch(input: JobFieldsInput): JobPatch {
  const patch: JobFieldsInput = {};
  for (const field of Object.keys(jobInputSchema.shape) as JobField[]) {
    const value = input[field];
    if (value === undefined || (value === null && !KEEPS_NULL.has(field))) continue;
    if (field === 'schedules') patch.schedules = (value as ScheduleEntryInputShape[]).map(toScheduleEntryInput);
    else if (field === 'followUps') patch.followUps = toFollowUps(value as Parameters<typeof toFollowUps>[0]);
    else if (ID_LISTS.has(field) && Array.isArray(value)) patch[field] = value.map(String);
    else patch[field] = value;
  }
  return patch as JobPatch;
}

/** Run-time args: a JSON object, as the job's own. */
function argsObject(args: unknown, field: string): Record<string, unknown> {
  const checked = jsonObject.safeParse(args);
  if (!checked.success) throw new ValidationError([{ field, message: checked.error.issues[0]?.message ?? 'must be a JSON object' }]);
  return checked.data;
}

/** Service errors name service fields (`schedule.scheduleKind`); the client sent input fields (`schedule.kind`). */
export async function inInputNames<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(error.errors.map((fieldError) => ({ ...fieldError, field: toInputFieldName(fieldError.field) })));
    }
    throw error;
  }
}

builder.mutationFields((t) => ({
  createJob: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    args: { input: t.arg({ type: CreateJobInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { input }, context) =>
      inInputNames(() => {
        const job: JobInput = { ...toJobPatch(input), name: input.name, action: input.action };
        return context.services.jobSave.create(job, context.identity?.userId ?? null, toCalendarsPatch(input));
      }),
  }),
  updateJob: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    args: { id: t.arg.id(), input: t.arg({ type: UpdateJobInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { id, input }, context) => inInputNames(() => context.services.jobSave.update(String(id), toJobPatch(input), toCalendarsPatch(input))),
  }),
  deleteJob: t.field({
    type: 'ID',
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Deletes the job with its runs and logs, and its timer.',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deletedJobId' } },
    resolve: async (_root, { id }, context) => (await context.services.jobs.delete(String(id))).id,
  }),
  enableJob: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Resumes a paused job: its next fire time is computed from now (missed slots do not run).',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { id }, context) => context.services.jobs.setEnabled(String(id), true),
  }),
  disableJob: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    description: 'Pauses the job: no scheduled runs until it is enabled again. It can still be run now.',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { id }, context) => context.services.jobs.setEnabled(String(id), false),
  }),
  runJobNow: t.field({
    type: RunRef,
    authScopes: { permission: 'RUNS_EXECUTE' },
    description: "Starts a run now, also for a paused job. `args` override the job's args key by key (validated).",
    args: {
      id: t.arg.id(),
      args: t.arg({ type: 'JSON', required: false }),
      title: t.arg.string({ required: false }),
      since: t.arg({ type: 'DateTime', required: false, description: "Overrides the start of the job's last succeeded run." }),
    },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'run' } },
    resolve: async (_root, args, context) =>
      context.services.runs.start(String(args.id), {
        trigger: context.identity?.via.kind === 'token' ? 'API' : 'MANUAL',
        args: args.args != null ? argsObject(args.args, 'args') : undefined,
        title: args.title ?? null,
        ...(args.since !== undefined ? { since: args.since } : {}),
        startedById: context.identity?.userId ?? null,
      }),
  }),
}));

