// Jobs: an action on a schedule for targets (the Job type; its queries, mutations and subscription are in
// job-queries.ts, job-mutations.ts and job-subscriptions.ts). A page of jobs with their last run, run counts,
// targets and roles costs a constant number of SQL queries: the page is one statement, and what each row shows
// beside the job (last run, last success, counts, targeted and notified users and roles) is batch-loaded for the
// whole page at once (services/job-summaries.ts), those statements sent side by side rather than one after another.
import type { Job, JobSchedule, Role, RunStatus, User } from '../../db/prisma.js';
import type { JobLink, LatestRuns } from '../../services/job-summaries.js';
import { ACTIVE_STATUSES } from '../../services/run-status.js';
import { describeSchedule, mergedSlots, scheduleFromJob } from '../../services/schedule.js';
import { builder, type GraphQLContext } from '../builder.js';
import { ActionRef } from './action.js';
import { batchLoader, can, clamp, MisfirePolicyEnum, OverlapPolicyEnum, RunStatusEnum } from './common.js';
import { NotificationOutcomeEnum } from './notification.js';
import { RoleRef } from './role.js';
import { RunRef } from './run.js';
import { JobScheduleRef, scheduleTitle } from './schedule.js';
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
    active: t.int({ description: 'Queued, running or cancelling.', resolve: (counts) => sum(counts, ...ACTIVE_STATUSES) }),
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

/** The schedules of a page of jobs, in their order, in one statement. */
const schedulesLoader = (context: GraphQLContext) =>
  batchLoader<JobSchedule[]>(context, 'job.schedules', async (jobIds) => {
    const rows = await context.prisma.jobSchedule.findMany({ where: { jobId: { in: jobIds } }, orderBy: [{ jobId: 'asc' }, { position: 'asc' }] });
    const byJob = new Map<string, JobSchedule[]>();
    for (const row of rows) byJob.set(row.jobId, [...(byJob.get(row.jobId) ?? []), row]);
    return byJob;
  });

interface UpcomingRun {
  at: Date;
  schedule: JobSchedule;
}

const UpcomingRunRef = builder.objectRef<UpcomingRun>('UpcomingRun').implement({
  description: 'A run a job will make by itself, and the schedule that makes it.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    schedule: t.field({ type: JobScheduleRef, resolve: (upcoming) => upcoming.schedule }),
    scheduleTitle: t.string({ description: "The schedule's label, else its description.", resolve: (upcoming) => scheduleTitle(upcoming.schedule) }),
  }),
});

/** The job's next runs from all its enabled schedules, earliest first, each from its schedule's stored next slot. */
function upcoming(job: Job, schedules: JobSchedule[], count: number): UpcomingRun[] {
  if (!job.enabled || count < 1) return [];
  const sources = schedules.filter((row) => row.enabled).map((row) => ({ key: row, schedule: scheduleFromJob(row), first: row.nextRunAt }));
  return mergedSlots(sources, count).map(({ at, key }) => ({ at, schedule: key }));
}

async function jobSchedules(job: Job, context: GraphQLContext): Promise<JobSchedule[]> {
  return (await schedulesLoader(context)(job.id)) ?? [];
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
    schedules: t.field({
      type: [JobScheduleRef],
      description: 'When the job runs by itself, in their order; empty: manual only.',
      resolve: (job, _args, context) => jobSchedules(job, context),
    }),
    scheduleDescription: t.string({
      description: 'E.g. "Every 15 minutes", "At 09:00 (Europe/Madrid)"; several schedules joined by "; "; "Manual only" without any.',
      resolve: async (job, _args, context) => {
        const schedules = await jobSchedules(job, context);
        if (schedules.length === 0) return 'Manual only';
        return schedules.map((row) => (row.label ? `${row.label}: ` : '') + describeSchedule(scheduleFromJob(row))).join('; ');
      },
    }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: "The next due slot (the earliest of its schedules'); null when paused or manual." }),
    upcomingRuns: t.field({
      type: [UpcomingRunRef],
      description: 'The next runs of all its schedules together, earliest first, each naming the schedule that makes it.',
      args: { count: t.arg.int({ required: false, defaultValue: 5, description: '1–50' }) },
      resolve: async (job, { count }, context) => upcoming(job, await jobSchedules(job, context), clamp(count, 5, 1, 50)),
    }),
    nextFireTimes: t.field({
      type: ['DateTime'],
      description: 'The instants of upcomingRuns.',
      args: { count: t.arg.int({ required: false, defaultValue: 5, description: '1–50' }) },
      resolve: async (job, { count }, context) => upcoming(job, await jobSchedules(job, context), clamp(count, 5, 1, 50)).map((run) => run.at),
    }),
    retries: t.exposeInt('retries', { nullable: true, description: "Null: the action's default." }),
    retryBackoffMs: t.exposeInt('retryBackoffMs', { nullable: true }),
    timeoutMs: t.exposeInt('timeoutMs', { nullable: true }),
    queue: t.exposeString('queue', { description: 'The queue its runs go to: only workers whose jobs.queues include it run them.' }),
    priority: t.exposeInt('priority', { description: 'Within a queue, runs of higher priority start first; equal priorities in order of creation.' }),
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

