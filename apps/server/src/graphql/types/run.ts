// Runs: one execution of a job. A per-user run is a parent with a child per target user, rolled up into counters.
// Live: runUpdated, runsOfJob and runFeed say "run X changed" and re-read the run (coalesced for slow clients).
import type { Prisma, Run } from '../../db/prisma.js';
import type { RunChange } from '../../realtime/bus.js';
import { coalescedStream } from '../../realtime/streams.js';
import { canCancel, canRetry } from '../../services/run-status.js';
import { builder } from '../builder.js';
import {
  can,
  direction,
  DOMAIN_ERRORS,
  isUuid,
  notFoundError,
  RunStatusEnum,
  RunTriggerEnum,
  SortDirectionEnum,
} from './common.js';

export const RunRef = builder.prismaObject('Run', {
  description: 'One execution of a job: an occurrence of its schedule, a manual run, an API dispatch, a retry or a follow-up of another run (chains).',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    id: t.exposeID('id'),
    job: t.relation('job'),
    trigger: t.expose('trigger', { type: RunTriggerEnum }),
    title: t.exposeString('title', { nullable: true }),
    args: t.expose('args', { type: 'JSON', description: "The job's args overridden key by key by run-time args, validated." }),
    since: t.expose('since', {
      type: 'DateTime',
      nullable: true,
      description: "Start of the job's last succeeded run before this one, or the override given at run time.",
    }),
    status: t.expose('status', { type: RunStatusEnum }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: 'Why it was skipped, interrupted or cancelled; "7/10 users ok".' }),
    attempt: t.exposeInt('attempt'),
    maxAttempts: t.exposeInt('maxAttempts'),
    late: t.exposeBoolean('late', { description: 'A catch-up run for occurrences missed while no worker was up.' }),
    scheduledFor: t.expose('scheduledFor', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', nullable: true }),
    durationMs: t.int({
      nullable: true,
      description: 'From start to finish; for a running run, so far. Null before it starts.',
      resolve: (run) => (run.startedAt ? (run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime() : null),
    }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    errorStack: t.exposeString('errorStack', { nullable: true, description: "The action's stack trace, when it threw." }),
    output: t.expose('output', { type: 'JSON', nullable: true, description: 'What the action returned.' }),
    progressDone: t.exposeInt('progressDone', { nullable: true }),
    progressTotal: t.exposeInt('progressTotal', { nullable: true }),
    lastLogSequence: t.exposeInt('logSequence', { description: 'Sequence of the last stored log line (0: none).' }),
    parentRun: t.relation('parentRun', { nullable: true }),
    targetUser: t.relation('targetUser', { nullable: true, description: 'The user a per-user child run is for.' }),
    startedBy: t.relation('startedBy', { nullable: true, description: 'Who ran it by hand or through the API.' }),
    childrenTotal: t.exposeInt('childrenTotal', { description: 'Per-user runs: how many users.' }),
    childrenSucceeded: t.exposeInt('childrenSucceeded'),
    childrenFailed: t.exposeInt('childrenFailed'),
    children: t.relatedConnection('children', {
      cursor: 'id',
      totalCount: true,
      description: 'The per-user runs of a per-user parent, in the order they were created.',
      args: { status: t.arg({ type: [RunStatusEnum], required: false }) },
      query: (args) => ({
        where: args.status?.length ? { status: { in: args.status } } : {},
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    }),
    queue: t.exposeString('queue', { description: "The job's queue when the run was created; only workers that take it run it." }),
    priority: t.exposeInt('priority', { description: "The job's priority when the run was created: higher starts first within its queue." }),
    waitingReason: t.string({
      nullable: true,
      description: 'Why a queued run does not start: no live worker takes its queue ("waiting for a worker that takes queue reports"). Null otherwise.',
      resolve: (run, _args, context) => context.services.queues.waitingReason(run),
    }),
    viewerCanCancel: t.boolean({ resolve: (run, _args, context) => can(context, 'RUNS_EXECUTE') && canCancel(run.status) }),
    viewerCanRetry: t.boolean({
      description: 'Failed, cancelled, timed out or interrupted top-level runs can be started again.',
      resolve: (run, _args, context) => can(context, 'RUNS_EXECUTE') && canRetry(run.status) && run.parentRunId === null,
    }),
  }),
});

// ---- Queries ----

const RunFilter = builder.inputType('RunFilter', {
  fields: (t) => ({
    jobId: t.id({ required: false }),
    status: t.field({ type: [RunStatusEnum], required: false }),
    trigger: t.field({ type: [RunTriggerEnum], required: false }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Inclusive.' }),
    createdBefore: t.field({ type: 'DateTime', required: false, description: 'Exclusive.' }),
    targetUserId: t.id({ required: false, description: 'Per-user runs for this user (implies includeChildren).' }),
    parentRunId: t.id({ required: false, description: 'The children of this run.' }),
    includeChildren: t.boolean({ required: false, description: 'Per-user child runs too; default only top-level runs.' }),
    startedById: t.id({ required: false, description: 'Runs this user started by hand or through the API.' }),
    search: t.string({ required: false, description: "Part of the run's title or its job's name, any case." }),
    causedByRunId: t.id({ required: false, description: "Follow-ups (trigger CHAIN) this run's ending started." }),
    causedByJobId: t.id({ required: false, description: "Follow-ups (trigger CHAIN) started by the endings of this job's runs." }),
  }),
});

const RunOrderField = builder.enumType('RunOrderField', { values: ['CREATED_AT', 'SCHEDULED_FOR', 'FINISHED_AT'] as const });
const RunOrder = builder.inputType('RunOrder', {
  fields: (t) => ({
    field: t.field({ type: RunOrderField }),
    direction: t.field({ type: SortDirectionEnum, required: false }),
  }),
});

type RunFilterShape = {
  jobId?: string | number | null;
  status?: Run['status'][] | null;
  trigger?: Run['trigger'][] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  targetUserId?: string | number | null;
  parentRunId?: string | number | null;
  includeChildren?: boolean | null;
  startedById?: string | number | null;
  search?: string | null;
  causedByRunId?: string | number | null;
  causedByJobId?: string | number | null;
};

const NO_MATCH = '00000000-0000-0000-0000-000000000000';
const idOrNoMatch = (value: string | number) => (isUuid(String(value)) ? String(value) : NO_MATCH);

function runWhere(filter: RunFilterShape | null | undefined): Prisma.RunWhereInput {
  const where: Prisma.RunWhereInput = {};
  if (filter?.jobId != null) where.jobId = idOrNoMatch(filter.jobId);
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.trigger?.length) where.trigger = { in: filter.trigger };
  if (filter?.createdAfter || filter?.createdBefore) {
    where.createdAt = { ...(filter.createdAfter ? { gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) };
  }
  if (filter?.targetUserId != null) where.targetUserId = idOrNoMatch(filter.targetUserId);
  if (filter?.startedById != null) where.startedById = idOrNoMatch(filter.startedById);
  if (filter?.causedByRunId != null) where.causedByRunId = idOrNoMatch(filter.causedByRunId);
  if (filter?.causedByJobId != null) where.causedByRun = { jobId: idOrNoMatch(filter.causedByJobId) };
  const search = filter?.search?.trim();
  if (search) {
    where.OR = [{ title: { contains: search, mode: 'insensitive' } }, { job: { name: { contains: search, mode: 'insensitive' } } }];
  }
  if (filter?.parentRunId != null) where.parentRunId = idOrNoMatch(filter.parentRunId);
  else if (!filter?.includeChildren && filter?.targetUserId == null) where.parentRunId = null;
  return where;
}

builder.queryFields((t) => ({
  runs: t.prismaConnection({
    type: 'Run',
    cursor: 'id',
    maxSize: 200,
    authScopes: { permission: 'JOBS_READ' },
    description: 'Runs, newest first unless ordered otherwise. Top-level runs only unless the filter says.',
    args: {
      filter: t.arg({ type: RunFilter, required: false }),
      orderBy: t.arg({ type: RunOrder, required: false }),
    },
    totalCount: (_connection, args, context) => context.prisma.run.count({ where: runWhere(args.filter) }),
    resolve: (query, _root, args, context) => {
      const order = direction(args.orderBy?.direction, 'desc');
      const field = { CREATED_AT: 'createdAt', SCHEDULED_FOR: 'scheduledFor', FINISHED_AT: 'finishedAt' }[args.orderBy?.field ?? 'CREATED_AT'];
      const primary = field === 'finishedAt' ? { finishedAt: { sort: order, nulls: 'last' as const } } : { [field]: order };
      return context.prisma.run.findMany({ ...query, where: runWhere(args.filter), orderBy: [primary, { id: order }] });
    },
  }),
  run: t.prismaField({
    type: 'Run',
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    args: { id: t.arg.id() },
    resolve: (query, _root, { id }, context) =>
      isUuid(String(id)) ? context.prisma.run.findUnique({ ...query, where: { id: String(id) } }) : null,
  }),
}));

// ---- Mutations ----

builder.mutationFields((t) => ({
  cancelRun: t.field({
    type: RunRef,
    authScopes: { permission: 'RUNS_EXECUTE' },
    description: 'A queued run is cancelled at once; a running one is asked to stop (CANCELLING, then CANCELLED).',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'run' } },
    resolve: (_root, { id }, context) => context.services.runs.cancel(String(id)),
  }),
  retryRun: t.field({
    type: RunRef,
    authScopes: { permission: 'RUNS_EXECUTE' },
    description: 'Starts a failed, cancelled, timed out or interrupted run again, as a new run with the same args.',
    args: { id: t.arg.id() },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'run' } },
    resolve: (_root, { id }, context) => context.services.runs.retry(String(id), context.identity?.userId ?? null),
  }),
}));

// ---- Subscriptions ----

/** Re-reads the run an event names; null when it is gone (its job was deleted). */
const rereadRun = (change: RunChange) => change.runId;

builder.subscriptionFields((t) => ({
  runUpdated: t.prismaField({
    type: 'Run',
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    description: 'The run as it is now, then again each time its status or counters change; null once it is deleted.',
    args: { runId: t.arg.id() },
    subscribe: async (_root, { runId }, context) => {
      const id = String(runId);
      const run = isUuid(id) ? await context.prisma.run.findUnique({ where: { id } }) : null;
      if (!run) throw notFoundError('run', id);
      const now: RunChange = { runId: run.id, jobId: run.jobId, parentRunId: run.parentRunId, status: run.status };
      return coalescedStream<RunChange>((handler) => context.bus.listen('run', id, handler), rereadRun, [now]);
    },
    resolve: (query, change: RunChange, _args, context) => context.prisma.run.findUnique({ ...query, where: { id: change.runId } }),
  }),
  runsOfJob: t.prismaField({
    type: 'Run',
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    description: "A job's runs as they are created and change (top-level and per-user). Null: the run is gone.",
    args: { jobId: t.arg.id(), includeChildren: t.arg.boolean({ required: false, defaultValue: true }) },
    subscribe: async (_root, { jobId, includeChildren }, context) => {
      const id = String(jobId);
      const job = isUuid(id) ? await context.prisma.job.findUnique({ where: { id }, select: { id: true } }) : null;
      if (!job) throw notFoundError('job', id);
      return coalescedStream<RunChange>(
        (handler) => context.bus.listen('jobRuns', id, (change) => (includeChildren !== false || change.parentRunId === null) && handler(change)),
        rereadRun,
      );
    },
    resolve: (query, change: RunChange, _args, context) => context.prisma.run.findUnique({ ...query, where: { id: change.runId } }),
  }),
  runFeed: t.prismaField({
    type: 'Run',
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    description: 'Every run status change, for the dashboard. Top-level runs only unless includeChildren.',
    args: { includeChildren: t.arg.boolean({ required: false, defaultValue: false }) },
    subscribe: (_root, { includeChildren }, context) =>
      coalescedStream<RunChange>(
        (handler) => context.bus.listen('runsFeed', (change) => (includeChildren === true || change.parentRunId === null) && handler(change)),
        rereadRun,
      ),
    resolve: (query, change: RunChange, _args, context) => context.prisma.run.findUnique({ ...query, where: { id: change.runId } }),
  }),
}));
