// The queue on Agenda's MongoDB backend (scheduler.url = mongodb://…), against the MongoDB at TEST_MONGODB_URL.
// No MongoDB server can be installed on the machines the suite usually runs on, so without the variable each test
// reports itself skipped and says why; the unreachable-queue start-up is covered in server-process.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

const MONGODB_URL = process.env.TEST_MONGODB_URL ?? '';
const NO_MONGODB = 'TEST_MONGODB_URL is not set: these tests need a MongoDB server (e.g. mongodb://127.0.0.1:27017/sundial-test)';

const DISPATCH = /* GraphQL */ `
  mutation Dispatch($input: DispatchInput!) {
    dispatch(input: $input) {
      __typename
      ... on MutationDispatchSuccess { result { status run { id } job { id } } }
    }
  }
`;

interface DispatchData {
  dispatch: { __typename: string; result?: { status: string; run: { id: string } | null; job: { id: string } } };
}

describe('the queue on MongoDB', () => {
  let api: TestApi | undefined;

  beforeAll(async () => {
    if (!MONGODB_URL) return;
    // Each run of the file gets its own collection, so runs of the suite never see each other's queue entries.
    const url = new URL(MONGODB_URL);
    url.pathname = `/sundial-test-${process.pid}-${Date.now()}`;
    api = await startTestApi({ actions: { dir: 'apps/server/test/fixtures/api-actions' }, scheduler: { url: url.toString() } });
  });
  afterAll(() => api?.close());

  it('reports its backend as mongodb and healthy', async ({ skip }) => {
    if (!api) return skip(NO_MONGODB);
    const health = (await (await fetch(`${api.url}/healthz`)).json()) as { status: string; scheduler: { backend: string; up: boolean } };
    expect(health).toMatchObject({ status: 'healthy', scheduler: { backend: 'mongodb', up: true } });
  });

  it('runs a dispatched run to success', async ({ skip }) => {
    if (!api) return skip(NO_MONGODB);
    const response = await api.gql<DispatchData>(DISPATCH, { input: { action: 'test.echo', args: { message: 'over mongodb' } } });
    expect(response.data?.dispatch.__typename, JSON.stringify(response)).toBe('MutationDispatchSuccess');
    const runId = response.data!.dispatch.result!.run!.id;
    const run = await waitFor(
      () => api!.app.database.prisma.run.findFirst({ where: { id: runId, status: 'SUCCEEDED' } }),
      30_000,
      'the dispatched run to succeed',
    );
    expect(run.args).toEqual({ message: 'over mongodb', count: 1 });
  });

  it('fires a run scheduled a moment ahead, once', async ({ skip }) => {
    if (!api) return skip(NO_MONGODB);
    const startAt = new Date(Date.now() + 2_000).toISOString();
    const response = await api.gql<DispatchData>(DISPATCH, { input: { action: 'test.echo', args: { message: 'later' }, startAt, name: 'Later on MongoDB' } });
    expect(response.data?.dispatch.result?.status, JSON.stringify(response)).toBe('SCHEDULED');
    const jobId = response.data!.dispatch.result!.job.id;
    const run = await waitFor(
      () => api!.app.database.prisma.run.findFirst({ where: { jobId, status: 'SUCCEEDED' } }),
      30_000,
      'the scheduled run to succeed',
    );
    expect(run.trigger).toBe('SCHEDULE');
    expect(await api.app.database.prisma.run.count({ where: { jobId } })).toBe(1);
  });
});
