// jobUpdated: a job's changes as they happen (definition, enabled, next fire time), coalesced per client.
import { coalescedStream } from '../../realtime/streams.js';
import { builder } from '../builder.js';
import { isUuid, notFoundError } from './common.js';

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
