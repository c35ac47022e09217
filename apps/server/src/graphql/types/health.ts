import type { Health } from '../../services/health.js';
import { builder } from '../builder.js';

const HealthStatus = builder.enumType('HealthStatus', { values: ['healthy', 'unhealthy'] as const });
const DatabaseMode = builder.enumType('DatabaseMode', { values: ['embedded', 'external'] as const });
const SchedulerState = builder.enumType('SchedulerState', {
  values: ['starting', 'running', 'idle', 'stopping', 'stopped', 'failed'] as const,
});
const SchedulerBackend = builder.enumType('SchedulerBackend', { values: ['postgres', 'mongodb'] as const });

const DatabaseHealth = builder.objectRef<Health['database']>('DatabaseHealth').implement({
  fields: (t) => ({ up: t.exposeBoolean('up'), mode: t.expose('mode', { type: DatabaseMode }) }),
});

const SchedulerHealth = builder.objectRef<Health['scheduler']>('SchedulerHealth').implement({
  fields: (t) => ({
    up: t.exposeBoolean('up'),
    state: t.expose('state', { type: SchedulerState }),
    backend: t.expose('backend', { type: SchedulerBackend }),
    executesJobs: t.exposeBoolean('executesJobs', { description: 'Whether this process executes jobs (jobs.enabled).' }),
  }),
});

const QueueWithoutWorker = builder.objectRef<Health['queuesWithoutWorker'][number]>('QueueWithoutWorker').implement({
  description: 'A queue with queued runs that no live worker takes (jobs.queues).',
  fields: (t) => ({
    queue: t.exposeString('queue'),
    waiting: t.exposeInt('waiting', { description: 'Top-level runs queued in it.' }),
  }),
});

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    queuesWithoutWorker: t.expose('queuesWithoutWorker', {
      type: [QueueWithoutWorker],
      description: 'Queues with queued runs that no live worker takes: their runs wait until a worker that takes them starts.',
    }),
    status: t.expose('status', { type: HealthStatus }),
    database: t.expose('database', { type: DatabaseHealth }),
    scheduler: t.expose('scheduler', { type: SchedulerHealth }),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    description: 'Whether this process can reach its database and its scheduler is in the wanted state.',
    resolve: (_root, _args, context) => context.health(),
  }),
);
