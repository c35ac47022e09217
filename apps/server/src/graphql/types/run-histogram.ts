// runHistogram: the dashboard's chart, counted on the server (services/run-histogram.ts), so it is true however many
// runs a day there are.
import { runHistogram } from '../../services/run-histogram.js';
import { ValidationError } from '../../services/errors.js';
import type { RunHistogram, RunHistogramBucket } from '../../services/run-histogram.js';
import { builder } from '../builder.js';
import { RunStatusEnum } from './common.js';

const RunHistogramCount = builder.objectRef<RunHistogramBucket['byStatus'][number]>('RunHistogramCount').implement({
  fields: (t) => ({
    status: t.expose('status', { type: RunStatusEnum }),
    count: t.exposeInt('count'),
  }),
});

const RunHistogramBucketRef = builder.objectRef<RunHistogramBucket>('RunHistogramBucket').implement({
  description: 'Top-level runs created in [start, start + bucketSeconds), by status (statuses with no run left out).',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    total: t.exposeInt('total'),
    byStatus: t.field({ type: [RunHistogramCount], resolve: (bucket) => bucket.byStatus }),
  }),
});

const RunHistogramRef = builder.objectRef<RunHistogram>('RunHistogram').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    bucketSeconds: t.exposeInt('bucketSeconds'),
    total: t.exposeInt('total', { description: 'Top-level runs created in [from, to).' }),
    buckets: t.field({ type: [RunHistogramBucketRef], description: 'Every bucket from `from`, empty ones included.', resolve: (histogram) => histogram.buckets }),
  }),
});

builder.queryField('runHistogram', (t) =>
  t.field({
    type: RunHistogramRef,
    authScopes: { permission: 'JOBS_READ' },
    description: 'Top-level runs created in [from, to), counted by status per bucket of `bucketSeconds` (at least 60; at most 500 buckets).',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      bucketSeconds: t.arg.int({ required: true }),
    },
    errors: { types: [ValidationError], dataField: { name: 'histogram' } },
    resolve: (_root, args, context) => runHistogram(context.prisma, args),
  }),
);
