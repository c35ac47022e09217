// Jobs: an action on a schedule for targets. A page of jobs with their last run, run counts, targets and roles
// costs a constant number of SQL queries: the page is one statement, and what each row shows beside the job
// (last run, last success, counts, targeted and notified users and roles) is batch-loaded for the whole page at
// once (services/job-summaries.ts), those statements sent side by side rather than one after another.
import { Prisma, type Job, type Role, type RunStatus, type User } from '../../db/prisma.js';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { coalescedStream } from '../../realtime/streams.js';
import { ValidationError } from '../../services/errors.js';
import type { JobLink, LatestRuns } from '../../services/job-summaries.js';
import type { JobInput, JobPatch } from '../../services/jobs.js';
import { scheduleFromJob, describeSchedule, nextFireTimes } from '../../services/schedule.js';
import { builder, type GraphQLContext, type SchemaTypes } from '../builder.js';
import { ActionRef } from './action.js';
import {
  batchLoader,
  requestOnce,
  can,
  clamp,
  direction,
  DOMAIN_ERRORS,
  isUuid,
  MisfirePolicyEnum,
  notFoundError,
  OverlapPolicyEnum,
  RunStatusEnum,
  ScheduleKindEnum,
  SortDirectionEnum,
} from './common.js';
import { NotificationOutcomeEnum } from './notification.js';
import { RoleRef } from './role.js';
import { RunRef } from './run.js';
import { JobScheduleRef, ScheduleInputRef, toInputFieldName, toScheduleInput, type ScheduleInputShape } from './schedule.js';
import { UserRef } from './user.js';

// ---- Read side: per-page loaders (one statement each for all the jobs of a page, sent side by side) ----

const latestRunsLoader = (context: GraphQLContext) =>
  batchLoader<LatestRuns>(context, 'job.latestRuns', (jobIds) => context.services.jobSummaries.latestRuns(jobIds));

interface RunCounts {
  byStatus: Map<RunStatus, number>;
}

const runCountsLoader = (context: GraphQLContext) =>
  batchLoader<Map<RunStatus, number>>(context, 'job.runCounts', (jobIds) => context.services.jobSummaries.runCounts(jobIds));

const linkedUsersLoader = (context: GraphQLContext, link: JobLink) =>
  batchLoader<User[]>(context, `job.users.${link}`, (jobIds) => context.services.jobSummaries.users(jobIds, link));

const linkedRolesLoader = (context: GraphQLContext, link: JobLink) =>
  batchLoader<Role[]>(context, `job.roles.${link}`, (jobIds) => context.services.jobSummaries.roles(jobIds, link));

const RunStatusCount = builder.objectRef<{ status: RunStatus; count: number }>('RunStatusCount').implement({
  fields: (t) => ({ status: t.expose('status', { type: RunStatusEnum }), count: t.exposeInt('count') }),
});

const sum = (counts: RunCounts, ...statuses: RunStatus[]) => statuses.reduce((total, status) => total + (counts.byStatus.get(status) ?? 0), 0);

const RunCountsRef = builder.objectRef<RunCounts>('RunCounts').implement({
  description: 'How many top-level runs the job has had, by outcome.',
  fields: (t) => ({
    total: t.int({ resolve: (counts) => [...counts.byStatus.values()].reduce((a, b) => a + b, 0) }),
    active: t.int({ description: 'Queued, running or cancelling.', resolve: (counts) => sum(counts, 'QUEUED', 'RUNNING', 'CANCELLING') }),
    succeeded: t.int({ resolve: (counts) => sum(counts, 'SUCCEEDED') }),
    partiallySucceeded: t.int({ resolve: (counts) => sum(counts, 'PARTIALLY_SUCCEEDED') }),
    failed: t.int({ description: 'Failed, timed out or interrupted.', resolve: (counts) => sum(counts, 'FAILED', 'TIMED_OUT', 'INTERRUPTED') }),
    cancelled: t.int({ resolve: (counts) => sum(counts, 'CANCELLED') }),
    skipped: t.int({ resolve: (counts) => sum(counts, 'SKIPPED') }),
    byStatus: t.field({
      type: [RunStatusCount],
      resolve: (counts) => [...counts.byStatus].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status)),
    }),
  }),
});

/** The next fire times after the stored due slot (nextRunAt), which is the first of them. */
function upcoming(job: Job, count: number): Date[] {
  if (!job.enabled || !job.nextRunAt || count < 1) return [];
  const schedule = scheduleFromJob(job);
  if (schedule.scheduleKind !== 'CRON' && schedule.scheduleKind !== 'INTERVAL') return [job.nextRunAt];
  // nextRunAt is a slot that has not run yet: the ones after it leave one fewer run under the limit.
  const rest = nextFireTimes({ ...schedule, runCount: schedule.runCount + 1 }, { after: job.nextRunAt, count: count - 1, anchor: job.nextRunAt });
  return [job.nextRunAt, ...rest];
}

export const JobRef = builder.prismaObject('Job', {
  description: 'Runs an action on a schedule for its targets. Paused jobs keep their schedule and can still be run now.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    key: t.exposeString('key', { nullable: true, description: 'Stable key for jobs declared as code; null for jobs made in the app.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    action: t.exposeString('action', { description: "The action's name." }),
    actionDetails: t.field({
      type: ActionRef,
      nullable: true,
      description: 'The action, when this install has it loaded.',
      resolve: (job, _args, context) => context.actions.get(job.action) ?? null,
    }),
    args: t.expose('args', { type: 'JSON', description: "Validated against the action's args schema on save." }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why Sundial disabled the job itself (end reached, limit reached); null when paused by hand.',
    }),
    perUser: t.exposeBoolean('perUser', { description: 'One child run per target user, rolled up into the run.' }),
    schedule: t.field({ type: JobScheduleRef, resolve: (job) => job }),
    scheduleDescription: t.string({ description: 'E.g. "Every 15 minutes", "At 09:00 (Europe/Madrid)".', resolve: (job) => describeSchedule(scheduleFromJob(job)) }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: 'The next due slot; null when paused or manual.' }),
    nextFireTimes: t.field({
      type: ['DateTime'],
      args: { count: t.arg.int({ required: false, defaultValue: 5, description: '1–50' }) },
      resolve: (job, { count }) => upcoming(job, clamp(count, 5, 1, 50)),
    }),
    retries: t.exposeInt('retries', { nullable: true, description: "Null: the action's default." }),
    retryBackoffMs: t.exposeInt('retryBackoffMs', { nullable: true }),
    timeoutMs: t.exposeInt('timeoutMs', { nullable: true }),
    queue: t.exposeString('queue'),
    priority: t.exposeInt('priority'),
    concurrency: t.exposeInt('concurrency', { nullable: true, description: 'Per-user children at once; null: the action\'s default.' }),
    overlapPolicy: t.expose('overlapPolicy', { type: OverlapPolicyEnum }),
    misfirePolicy: t.expose('misfirePolicy', { type: MisfirePolicyEnum }),
    createdBy: t.relation('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    targetUsers: t.field({
      type: [UserRef],
      description: 'Users chosen directly.',
      resolve: async (job, _args, context) => (await linkedUsersLoader(context, 'targets')(job.id)) ?? [],
    }),
    targetRoles: t.field({
      type: [RoleRef],
      description: 'Roles whose active members are targets.',
      resolve: async (job, _args, context) => (await linkedRolesLoader(context, 'targets')(job.id)) ?? [],
    }),
    notifyOn: t.field({
      type: [NotificationOutcomeEnum],
      description: 'Run outcomes that notify the recipients below; empty: the job notifies nobody.',
      resolve: (job) => job.notifyOn,
    }),
    notifyEmails: t.exposeStringList('notifyEmails', { description: 'E-mail addresses notified.' }),
    notifyWebhooks: t.exposeStringList('notifyWebhooks', { description: 'URLs that get a signed POST (docs/notifications.md).' }),
    notifyUsers: t.field({
      type: [UserRef],
      description: 'Users notified at their e-mail address, while active.',
      resolve: async (job, _args, context) => (await linkedUsersLoader(context, 'notified')(job.id)) ?? [],
    }),
    notifyRoles: t.field({
      type: [RoleRef],
      description: 'Roles whose active members are notified.',
      resolve: async (job, _args, context) => (await linkedRolesLoader(context, 'notified')(job.id)) ?? [],
    }),
    notificationDeliveries: t.relation('notificationDeliveries', {
      description: "The job's latest notification deliveries, newest first.",
      args: { first: t.arg.int({ required: false, defaultValue: 10, description: '1–100' }) },
      query: (args) => ({ take: clamp(args.first, 10, 1, 100), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    lastRun: t.field({
      type: RunRef,
      nullable: true,
      description: 'The latest top-level run, whatever its status.',
      resolve: async (job, _args, context) => (await latestRunsLoader(context)(job.id))?.lastRun ?? null,
    }),
    lastSuccess: t.field({
      type: RunRef,
      nullable: true,
      description: 'The top-level run that succeeded and started last (the one a new run\'s `since` counts from).',
      resolve: async (job, _args, context) => (await latestRunsLoader(context)(job.id))?.lastSuccess ?? null,
    }),
    runCounts: t.field({
      type: RunCountsRef,
      resolve: async (job, _args, context) => ({ byStatus: (await runCountsLoader(context)(job.id)) ?? new Map<RunStatus, number>() }),
    }),
    runs: t.relatedConnection('runs', {
      cursor: 'id',
      totalCount: true,
      description: 'Top-level runs, newest first.',
      args: { status: t.arg({ type: [RunStatusEnum], required: false }) },
      query: (args) => ({
        where: { parentRunId: null, ...(args.status?.length ? { status: { in: args.status } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
    viewerCanRun: t.boolean({ resolve: (_job, _args, context) => can(context, 'RUNS_EXECUTE') }),
    viewerCanEdit: t.boolean({ resolve: (_job, _args, context) => can(context, 'JOBS_WRITE') }),
    viewerCanDelete: t.boolean({ resolve: (_job, _args, context) => can(context, 'JOBS_WRITE') }),
  }),
});

// ---- Queries ----

const JobFilter = builder.inputType('JobFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Part of the name or the action, any case.' }),
    action: t.string({ required: false, description: 'Exactly this action.' }),
    enabled: t.boolean({ required: false }),
    scheduleKind: t.field({ type: ScheduleKindEnum, required: false }),
    targetUserId: t.id({ required: false, description: 'Jobs that target this user, directly or through a role.' }),
    roleId: t.id({ required: false, description: 'Jobs that target this role.' }),
    lastRunStatus: t.field({ type: [RunStatusEnum], required: false, description: 'Jobs whose latest run has one of these statuses.' }),
  }),
});

const JobOrderField = builder.enumType('JobOrderField', {
  values: ['NAME', 'ACTION', 'CREATED_AT', 'UPDATED_AT', 'NEXT_RUN_AT'] as const,
});
const JobOrder = builder.inputType('JobOrder', {
  fields: (t) => ({
    field: t.field({ type: JobOrderField }),
    direction: t.field({ type: SortDirectionEnum, required: false }),
  }),
});

interface JobFilterShape {
  search?: string | null;
  action?: string | null;
  enabled?: boolean | null;
  scheduleKind?: Job['scheduleKind'] | null;
  targetUserId?: string | number | null;
  roleId?: string | number | null;
  lastRunStatus?: RunStatus[] | null;
}

const NO_MATCH = '00000000-0000-0000-0000-000000000000';
const idOrNoMatch = (value: string | number) => (isUuid(String(value)) ? String(value) : NO_MATCH);

async function jobWhere(filter: JobFilterShape | null | undefined, context: GraphQLContext): Promise<Prisma.JobWhereInput> {
  const and: Prisma.JobWhereInput[] = [];
  const search = filter?.search?.trim();
  if (search) and.push({ OR: [{ name: { contains: search, mode: 'insensitive' } }, { action: { contains: search, mode: 'insensitive' } }] });
  if (filter?.action) and.push({ action: filter.action });
  if (filter?.enabled != null) and.push({ enabled: filter.enabled });
  if (filter?.scheduleKind) and.push({ scheduleKind: filter.scheduleKind });
  if (filter?.targetUserId != null) {
    const userId = idOrNoMatch(filter.targetUserId);
    and.push({ OR: [{ targetUsers: { some: { userId } } }, { targetRoles: { some: { role: { members: { some: { userId } } } } } }] });
  }
  if (filter?.roleId != null) and.push({ targetRoles: { some: { roleId: idOrNoMatch(filter.roleId) } } });
  if (filter?.lastRunStatus?.length) {
    // "Latest run" is not something a Prisma filter can say: find those jobs first, one query (one index probe per
    // job: ORDER BY names parent_run_id for the planner, as in lastRunsLoader).
    const rows = await context.prisma.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT j.id::text AS id FROM jobs j
      CROSS JOIN LATERAL (SELECT r.status FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL
                          ORDER BY r.parent_run_id, r.created_at DESC LIMIT 1) last
      WHERE last.status::text = ANY(${filter.lastRunStatus}::text[])`);
    and.push({ id: { in: rows.map((row) => row.id) } });
  }
  return and.length > 0 ? { AND: and } : {};
}

// The page's filter is worked out (which can take a query, for lastRunStatus) and counted once per request and
// filter, whichever of the connection's resolve and its totalCount asks first.
const filterKey = (filter: JobFilterShape | null | undefined) => JSON.stringify(filter ?? null);

function pageWhere(args: { filter?: JobFilterShape | null }, context: GraphQLContext): Promise<Prisma.JobWhereInput> {
  return requestOnce(context, `job.where:${filterKey(args.filter)}`, () => jobWhere(args.filter, context));
}

function jobCount(args: { filter?: JobFilterShape | null }, context: GraphQLContext): Promise<number> {
  return requestOnce(context, `job.count:${filterKey(args.filter)}`, async () => context.prisma.job.count({ where: await pageWhere(args, context) }));
}

const asksTotalCount = (info: GraphQLResolveInfo) =>
  info.fieldNodes.some((node) => node.selectionSet?.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === 'totalCount'));

builder.queryFields((t) => ({
  jobs: t.prismaConnection({
    type: 'Job',
    cursor: 'id',
    maxSize: 200,
    authScopes: { permission: 'JOBS_READ' },
    description: 'Jobs, by name unless ordered otherwise.',
    args: {
      filter: t.arg({ type: JobFilter, required: false }),
      orderBy: t.arg({ type: JobOrder, required: false }),
    },
    totalCount: (_connection, args, context) => jobCount(args, context),
    resolve: async (query, _root, args, context, info) => {
      // Counted beside the page's statement rather than after it, when the query names totalCount.
      if (asksTotalCount(info)) jobCount(args, context).catch(() => {}); // its error reaches totalCount's resolver

      const order = direction(args.orderBy?.direction, 'asc');
      const field = args.orderBy?.field ?? 'NAME';
      const primary: Prisma.JobOrderByWithRelationInput =
        field === 'NEXT_RUN_AT'
          ? { nextRunAt: { sort: order, nulls: 'last' } }
          : { [{ NAME: 'name', ACTION: 'action', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' }[field]]: order };
      return context.prisma.job.findMany({ ...query, where: await pageWhere(args, context), orderBy: [primary, { id: order }] });
    },
  }),
  job: t.prismaField({
    type: 'Job',
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, context) =>
      isUuid(String(id)) ? context.prisma.job.findUnique({ ...query, where: { id: String(id) } }) : null,
  }),
}));

// ---- Mutations ----

/**
 * The fields a job is made of, shared by create and update: creating requires name and action, updating changes
 * only the fields given (for retries, retryBackoffMs, timeoutMs and concurrency, null means the action's default).
 */
function jobInputFields(t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>, creating: boolean) {
  return {
    key: t.string({ required: false }),
    name: t.string({ required: creating }),
    description: t.string({ required: false }),
    action: t.string({ required: creating }),
    args: t.field({ type: 'JSON', required: false, description: "A JSON object, validated against the action's schema." }),
    perUser: t.boolean({ required: false }),
    targetUserIds: t.idList({ required: false }),
    targetRoleIds: t.idList({ required: false }),
    schedule: t.field({
      type: ScheduleInputRef,
      required: false,
      description: creating ? 'Default: manual only.' : 'Replaces the schedule (its run count starts again).',
    }),
    retries: t.int({ required: false }),
    retryBackoffMs: t.int({ required: false }),
    timeoutMs: t.int({ required: false }),
    queue: t.string({ required: false }),
    priority: t.int({ required: false }),
    concurrency: t.int({ required: false }),
    overlapPolicy: t.field({ type: OverlapPolicyEnum, required: false }),
    misfirePolicy: t.field({ type: MisfirePolicyEnum, required: false }),
    notifyOn: t.field({ type: [NotificationOutcomeEnum], required: false, description: 'Run outcomes that notify; empty: none.' }),
    notifyEmails: t.stringList({ required: false }),
    notifyUserIds: t.idList({ required: false, description: 'Users notified at their e-mail address.' }),
    notifyRoleIds: t.idList({ required: false, description: 'Roles whose active members are notified.' }),
    notifyWebhooks: t.stringList({ required: false, description: 'http(s) URLs that get a signed POST.' }),
  };
}

const CreateJobInput = builder.inputType('CreateJobInput', {
  fields: (t) => ({
    ...jobInputFields(t, true),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
  }),
});

const UpdateJobInput = builder.inputType('UpdateJobInput', {
  description: "Only the fields given change. For retries, retryBackoffMs, timeoutMs and concurrency, null means the action's default.",
  fields: (t) => jobInputFields(t, false),
});

interface JobFieldsInput {
  key?: string | null;
  name?: string | null;
  description?: string | null;
  action?: string | null;
  args?: unknown;
  enabled?: boolean | null;
  perUser?: boolean | null;
  targetUserIds?: (string | number)[] | null;
  targetRoleIds?: (string | number)[] | null;
  schedule?: ScheduleInputShape | null;
  retries?: number | null;
  retryBackoffMs?: number | null;
  timeoutMs?: number | null;
  queue?: string | null;
  priority?: number | null;
  concurrency?: number | null;
  overlapPolicy?: Job['overlapPolicy'] | null;
  misfirePolicy?: Job['misfirePolicy'] | null;
  notifyOn?: Job['notifyOn'] | null;
  notifyEmails?: string[] | null;
  notifyUserIds?: (string | number)[] | null;
  notifyRoleIds?: (string | number)[] | null;
  notifyWebhooks?: string[] | null;
}

function argsObject(args: unknown, field: string): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new ValidationError([{ field, message: 'must be a JSON object, e.g. {"message": "hello"}' }]);
  }
  return args as Record<string, unknown>;
}

/**
 * GraphQL input → service patch. Absent fields stay undefined (unchanged); for the nullable numbers an explicit
 * null is kept (back to the action's default); for the rest null means absent.
 */
function toJobPatch(input: JobFieldsInput): JobPatch {
  const patch: JobPatch = {};
  if (input.key !== undefined) patch.key = input.key;
  if (input.name != null) patch.name = input.name;
  if (input.description != null) patch.description = input.description;
  if (input.action != null) patch.action = input.action;
  if (input.args != null) patch.args = argsObject(input.args, 'args');
  if (input.enabled != null) patch.enabled = input.enabled;
  if (input.perUser != null) patch.perUser = input.perUser;
  if (input.targetUserIds != null) patch.targetUserIds = input.targetUserIds.map(String);
  if (input.targetRoleIds != null) patch.targetRoleIds = input.targetRoleIds.map(String);
  if (input.schedule != null) patch.schedule = toScheduleInput(input.schedule);
  for (const field of ['retries', 'retryBackoffMs', 'timeoutMs', 'concurrency'] as const) {
    if (input[field] !== undefined) patch[field] = input[field];
  }
  if (input.queue != null) patch.queue = input.queue;
  if (input.priority != null) patch.priority = input.priority;
  if (input.overlapPolicy != null) patch.overlapPolicy = input.overlapPolicy;
  if (input.misfirePolicy != null) patch.misfirePolicy = input.misfirePolicy;
  if (input.notifyOn != null) patch.notifyOn = input.notifyOn;
  if (input.notifyEmails != null) patch.notifyEmails = input.notifyEmails;
  if (input.notifyUserIds != null) patch.notifyUserIds = input.notifyUserIds.map(String);
  if (input.notifyRoleIds != null) patch.notifyRoleIds = input.notifyRoleIds.map(String);
  if (input.notifyWebhooks != null) patch.notifyWebhooks = input.notifyWebhooks;
  return patch;
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
        const patch = toJobPatch(input);
        const job: JobInput = { ...patch, name: input.name, action: input.action };
        return context.services.jobs.create(job, context.identity?.userId ?? null);
      }),
  }),
  updateJob: t.field({
    type: JobRef,
    authScopes: { permission: 'JOBS_WRITE' },
    args: { id: t.arg.id(), input: t.arg({ type: UpdateJobInput }) },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'job' } },
    resolve: (_root, { id, input }, context) => inInputNames(() => context.services.jobs.update(String(id), toJobPatch(input))),
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

// ---- Subscriptions ----

interface JobEvent {
  jobId: string;
  change: 'created' | 'updated' | 'deleted';
}

const JobChangeKind = builder.enumType('JobChangeKind', { values: ['CREATED', 'UPDATED', 'DELETED'] as const });

const JobEventRef = builder.objectRef<JobEvent>('JobEvent').implement({
  description: 'The job changed (definition, enabled, next fire time); `job` is the job as it is now, null once deleted.',
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    change: t.field({ type: JobChangeKind, resolve: (event) => event.change.toUpperCase() as 'CREATED' | 'UPDATED' | 'DELETED' }),
    job: t.prismaField({
      type: 'Job',
      nullable: true,
      resolve: (query, event, _args, context) =>
        event.change === 'deleted' ? null : context.prisma.job.findUnique({ ...query, where: { id: event.jobId } }),
    }),
  }),
});

builder.subscriptionField('jobUpdated', (t) =>
  t.field({
    type: JobEventRef,
    authScopes: { permission: 'JOBS_READ' },
    args: { jobId: t.arg.id() },
    subscribe: async (_root, { jobId }, context) => {
      const id = String(jobId);
      const job = isUuid(id) ? await context.prisma.job.findUnique({ where: { id }, select: { id: true } }) : null;
      if (!job) throw notFoundError('job', id);
      // Coalesced: a job changed three times while the client was busy is read once.
      return coalescedStream<JobEvent>((handler) => context.bus.listen('job', id, handler), () => id);
    },
    resolve: (event) => event,
  }),
);
