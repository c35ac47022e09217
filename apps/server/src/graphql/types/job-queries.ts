// The jobs list (filtered, ordered, paged, counted) and one job. The filter's meaning is services/job-filter.ts's.
import type { Prisma } from '../../db/prisma.js';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { jobWhere, type JobFilter as JobFilterInput } from '../../services/job-filter.js';
import { builder, type GraphQLContext } from '../builder.js';
import { direction, isUuid, requestOnce, RunStatusEnum, ScheduleKindEnum, SortDirectionEnum } from './common.js';

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
  values: ['NAME', 'ACTION', 'CREATED_AT', 'UPDATED_AT', 'NEXT_RUN_AT', 'LAST_RUN_AT'] as const,
});
const JobOrder = builder.inputType('JobOrder', {
  fields: (t) => ({
    field: t.field({ type: JobOrderField }),
    direction: t.field({ type: SortDirectionEnum, required: false }),
  }),
});

// The page's jobs are counted once per request and filter, whichever of the connection's resolve and its
// totalCount asks first.
const filterKey = (filter: JobFilterInput | null | undefined) => JSON.stringify(filter ?? null);

function jobCount(args: { filter?: JobFilterInput | null }, context: GraphQLContext): Promise<number> {
  return requestOnce(context, `job.count:${filterKey(args.filter)}`, () => context.prisma.job.count({ where: jobWhere(args.filter) }));
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
    resolve: (query, _root, args, context, info) => {
      // Counted beside the page's statement rather than after it, when the query names totalCount.
      if (asksTotalCount(info)) jobCount(args, context).catch(() => {}); // its error reaches totalCount's resolver

      const order = direction(args.orderBy?.direction, 'asc');
      const field = args.orderBy?.field ?? 'NAME';
      // Jobs that never ran come last either way, like jobs without a next run.
      const primary: Prisma.JobOrderByWithRelationInput =
        field === 'NEXT_RUN_AT'
          ? { nextRunAt: { sort: order, nulls: 'last' } }
          : field === 'LAST_RUN_AT'
            ? { lastRunAt: { sort: order, nulls: 'last' } }
            : { [{ NAME: 'name', ACTION: 'action', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' }[field]]: order };
      return context.prisma.job.findMany({ ...query, where: jobWhere(args.filter), orderBy: [primary, { id: order }] });
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

