// The dashboard's runHistogram over the real HTTP API: counts by status per bucket from one GROUP BY (runs written
// straight into the table at chosen times, so the buckets are known), empty buckets filled, children left out, a bad
// window refused with the field and the rule; and the runs filter's text search and starter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';

const ACTIONS = { actions: { dir: 'apps/server/test/fixtures/api-actions' } };
const HOUR = 3_600_000;

interface Histogram {
  total: number;
  bucketSeconds: number;
  buckets: { start: string; total: number; byStatus: { status: string; count: number }[] }[];
}

describe('runHistogram and run search', () => {
  let api: TestApi;
  let jobId: string;
  const from = new Date('2026-03-01T00:00:00.000Z');

  beforeAll(async () => {
    api = await startTestApi(ACTIONS);
    const prisma = api.app.database.prisma;
    const job = await prisma.job.create({ data: { name: 'Histogram harvest', action: 'test.echo', args: { message: 'hi' }, enabled: false } });
    jobId = job.id;
    const at = (hours: number, minutes = 0) => new Date(from.getTime() + hours * HOUR + minutes * 60_000);
    const parent = await prisma.run.create({ data: { jobId, trigger: 'MANUAL', status: 'FAILED', createdAt: at(0, 5), title: 'Nightly catch-up' } });
    await prisma.run.createMany({
      data: [
        { jobId, trigger: 'SCHEDULE', status: 'SUCCEEDED', createdAt: at(0, 10) },
        { jobId, trigger: 'SCHEDULE', status: 'SUCCEEDED', createdAt: at(0, 59) },
        { jobId, trigger: 'SCHEDULE', status: 'CANCELLED', createdAt: at(2, 30) },
        // A per-user child: not counted (the chart counts top-level runs).
        { jobId, trigger: 'MANUAL', status: 'SUCCEEDED', createdAt: at(2, 31), parentRunId: parent.id },
        // Outside the window.
        { jobId, trigger: 'SCHEDULE', status: 'SUCCEEDED', createdAt: at(4) },
      ],
    });
  });
  afterAll(() => api?.close());

  const histogram = (variables: { from: string; to: string; bucketSeconds: number }) =>
    api.gql<{ runHistogram: { __typename: string; histogram?: Histogram; message?: string; fieldErrors?: { field: string; message: string }[] } }>(
      /* GraphQL */ `query H($from: DateTime!, $to: DateTime!, $bucketSeconds: Int!) {
        runHistogram(from: $from, to: $to, bucketSeconds: $bucketSeconds) {
          __typename
          ... on QueryRunHistogramSuccess { histogram { total bucketSeconds buckets { start total byStatus { status count } } } }
          ... on ValidationError { message fieldErrors { field message } }
        }
      }`,
      variables,
    );

  it('counts top-level runs by status per hour, with every bucket present', async () => {
    const result = await histogram({ from: from.toISOString(), to: new Date(from.getTime() + 4 * HOUR).toISOString(), bucketSeconds: 3600 });
    const data = result.data?.runHistogram.histogram;
    expect(data, JSON.stringify(result)).toBeDefined();
    expect(data!.total).toBe(4);
    expect(data!.buckets.map((bucket) => bucket.start)).toEqual([0, 1, 2, 3].map((hour) => new Date(from.getTime() + hour * HOUR).toISOString()));
    expect(data!.buckets.map((bucket) => bucket.total)).toEqual([3, 0, 1, 0]);
    expect(data!.buckets[0]!.byStatus).toEqual([
      { status: 'SUCCEEDED', count: 2 },
      { status: 'FAILED', count: 1 },
    ].sort((a, b) => a.status.localeCompare(b.status)));
    expect(data!.buckets[2]!.byStatus).toEqual([{ status: 'CANCELLED', count: 1 }]);
  });

  it('refuses a window that is backwards or has too many buckets, naming the field and the rule', async () => {
    const backwards = await histogram({ from: from.toISOString(), to: from.toISOString(), bucketSeconds: 3600 });
    expect(backwards.data?.runHistogram.__typename).toBe('ValidationError');
    expect(backwards.data?.runHistogram.fieldErrors).toEqual([{ field: 'to', message: `must be after from (${from.toISOString()})` }]);
    const tooMany = await histogram({ from: from.toISOString(), to: new Date(from.getTime() + 24 * HOUR).toISOString(), bucketSeconds: 60 });
    expect(tooMany.data?.runHistogram.fieldErrors?.[0]?.message).toBe('gives 1440 buckets between from and to; at most 500 are allowed (use larger buckets)');
    const tiny = await histogram({ from: from.toISOString(), to: new Date(from.getTime() + HOUR).toISOString(), bucketSeconds: 1 });
    expect(tiny.data?.runHistogram.fieldErrors?.[0]).toEqual({ field: 'bucketSeconds', message: 'must be a whole number of seconds, at least 60; got 1' });
  });

  it('finds runs by part of their title or their job name, any case', async () => {
    const search = async (text: string) =>
      (await api.gql<{ runs: { totalCount: number } }>('query S($search: String) { runs(first: 1, filter: { search: $search }) { totalCount } }', { search: text })).data?.runs.totalCount;
    expect(await search('histogram HARVEST')).toBe(5);
    expect(await search('catch-up')).toBe(1);
    expect(await search('no such run anywhere')).toBe(0);
  });
});
