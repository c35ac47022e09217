// dispatch over the real HTTP API, the way an integrator calls it with an API token (Ductape's dispatch()):
// now → QUEUED with a run; later → SCHEDULED once; cron / every → SCHEDULED and recurring; errors name the fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

const DISPATCH = /* GraphQL */ `
  mutation Dispatch($input: DispatchInput!) {
    dispatch(input: $input) {
      __typename
      ... on MutationDispatchSuccess {
        result {
          status scheduledAt recurring nextRunAt
          job { id name action enabled retries schedules { kind cron timezone intervalSeconds runAt startAt endAt runLimit } nextFireTimes(count: 3) }
          run { id status trigger title }
        }
      }
      ... on ValidationError { fieldErrors { field message } }
    }
  }
`;

interface DispatchData {
  dispatch: {
    __typename: string;
    result?: {
      status: string;
      scheduledAt: string;
      recurring: boolean;
      nextRunAt: string | null;
      job: { id: string; name: string; action: string; enabled: boolean; retries: number | null; schedules: Array<Record<string, unknown>>; nextFireTimes: string[] };
      run: { id: string; status: string; trigger: string; title: string | null } | null;
    };
    fieldErrors?: { field: string; message: string }[];
  };
}

describe('dispatch', () => {
  let api: TestApi;
  let integrator: string;

  beforeAll(async () => {
    api = await startTestApi({ actions: { dir: 'apps/server/test/fixtures/api-actions' } });
    integrator = await api.tokenWith(['JOBS_READ', 'JOBS_WRITE', 'RUNS_EXECUTE']);
  });
  afterAll(() => api?.close());

  const dispatch = (input: Record<string, unknown>, token = integrator) => api.gql<DispatchData>(DISPATCH, { input }, { token });

  it('runs now when no start time or recurrence is given: QUEUED, with the run', async () => {
    const before = Date.now();
    const response = await dispatch({ action: 'test.echo', args: { message: 'welcome' }, retries: 3, title: 'Welcome mail' });
    expect(response.errors).toBeUndefined();
    const result = response.data!.dispatch.result!;
    expect(result).toMatchObject({ status: 'QUEUED', recurring: false, nextRunAt: null });
    expect(result.job).toMatchObject({ name: 'test.echo', action: 'test.echo', retries: 3, schedules: [] });
    expect(result.run).toMatchObject({ status: 'QUEUED', trigger: 'API', title: 'Welcome mail' });
    expect(new Date(result.scheduledAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const run = await waitFor(
      () => api.app.database.prisma.run.findFirst({ where: { id: result.run!.id, status: 'SUCCEEDED' } }),
      20_000,
      'the dispatched run to succeed',
    );
    expect(run.args).toEqual({ message: 'welcome', count: 1 });
  });

  it('schedules once for a future start time: SCHEDULED, not recurring', async () => {
    const startAt = new Date(Date.now() + 3600_000);
    startAt.setMilliseconds(0);
    const result = (await dispatch({ action: 'test.echo', args: { message: 'later' }, startAt: startAt.toISOString(), name: 'Later' })).data!.dispatch.result!;
    expect(result).toMatchObject({ status: 'SCHEDULED', recurring: false, run: null, scheduledAt: startAt.toISOString(), nextRunAt: startAt.toISOString() });
    expect(result.job).toMatchObject({ name: 'Later', enabled: true, schedules: [{ kind: 'ONCE', runAt: startAt.toISOString() }] });
  });

  it('recurs by cron in a timezone with a limit and an end date, or every N seconds', async () => {
    const endDate = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();
    const cron = (await dispatch({ action: 'test.echo', args: { message: 'daily' }, cron: '0 9 * * *', tz: 'America/New_York', limit: 4, endDate })).data!.dispatch.result!;
    expect(cron).toMatchObject({ status: 'SCHEDULED', recurring: true, run: null });
    expect(cron.job.schedules[0]).toMatchObject({ kind: 'CRON', cron: '0 9 * * *', timezone: 'America/New_York', runLimit: 4, endAt: endDate });
    expect(cron.nextRunAt).toBe(cron.job.nextFireTimes[0]);
    expect(cron.scheduledAt).toBe(cron.nextRunAt);
    // 09:00 in New York is 13:00 or 14:00 UTC depending on daylight saving time.
    expect([13, 14]).toContain(new Date(cron.nextRunAt!).getUTCHours());

    const every = (await dispatch({ action: 'test.echo', args: { message: 'hourly' }, everySeconds: 3600 })).data!.dispatch.result!;
    expect(every).toMatchObject({ status: 'SCHEDULED', recurring: true });
    expect(every.job.schedules[0]).toMatchObject({ kind: 'INTERVAL', intervalSeconds: 3600 });
    const gap = new Date(every.job.nextFireTimes[1]!).getTime() - new Date(every.job.nextFireTimes[0]!).getTime();
    expect(gap).toBe(3600_000);
  });

  it('names the dispatch fields in its errors and creates nothing', async () => {
    const before = await api.app.database.prisma.job.count();
    const both = (await dispatch({ action: 'test.echo', args: { message: 'x' }, cron: '0 9 * * *', everySeconds: 60 })).data!.dispatch;
    expect(both.__typename).toBe('ValidationError');
    expect(both.fieldErrors!.map((error) => error.field)).toEqual(['everySeconds']);
    const limitAlone = (await dispatch({ action: 'test.echo', args: { message: 'x' }, limit: 3 })).data!.dispatch;
    expect(limitAlone.fieldErrors!.map((error) => error.field)).toEqual(['limit']);
    const wrong = (await dispatch({ action: 'test.echo', args: {}, cron: 'nope', tz: 'Nowhere/City', everySeconds: null })).data!.dispatch;
    expect(wrong.fieldErrors!.map((error) => error.field).sort()).toEqual(['args.message', 'cron', 'tz']);
    const badEvery = (await dispatch({ action: 'test.echo', args: { message: 'x' }, everySeconds: 0 })).data!.dispatch;
    expect(badEvery.fieldErrors!.map((error) => error.field)).toEqual(['everySeconds']);
    expect(badEvery.fieldErrors![0]!.message).toMatch(/^everySeconds must be/);
    const zeroLimit = (await dispatch({ action: 'test.echo', args: { message: 'x' }, cron: '0 9 * * *', limit: 0 })).data!.dispatch;
    expect(zeroLimit.fieldErrors).toEqual([{ field: 'limit', message: expect.stringMatching(/^limit must be a whole number of runs, at least 1/) }]);
    const noAction = (await dispatch({ action: 'missing.action' })).data!.dispatch;
    expect(noAction.fieldErrors!.map((error) => error.field)).toEqual(['action']);
    expect(await api.app.database.prisma.job.count()).toBe(before);
  });

  it('answers a startAt without an offset, or in epoch milliseconds, with a ValidationError on startAt', async () => {
    const before = await api.app.database.prisma.job.count();
    const local = (await dispatch({ action: 'test.echo', args: { message: 'x' }, startAt: '2026-12-24T10:00:00' })).data!.dispatch;
    expect(local).toEqual({
      __typename: 'ValidationError',
      fieldErrors: [
        { field: 'startAt', message: 'startAt needs an offset: "2026-12-24T10:00:00" has none; an offset is required, e.g. "2026-12-24T10:00:00+01:00" or "2026-12-24T10:00:00Z" (UTC)' },
      ],
    });
    const epoch = await dispatch({ action: 'test.echo', args: { message: 'x' }, cron: '0 9 * * *', startAt: 1_798_106_400_000, endDate: '2027-01-01' });
    expect(epoch.errors).toBeUndefined();
    expect([...epoch.data!.dispatch.fieldErrors!].sort((a, b) => b.field.localeCompare(a.field))).toEqual([
      { field: 'startAt', message: expect.stringMatching(/^startAt must be an ISO 8601 date-time with an offset, not a number \(1798106400000 as epoch milliseconds is "2026-12-24T10:00:00.000Z"\)/) },
      { field: 'endDate', message: expect.stringMatching(/^endDate must be an ISO 8601 date-time with an offset, e\.g\. .*; got "2027-01-01"$/) },
    ]);
    // Written in the document rather than passed as a variable: the same answer.
    const literal = await api.gql<DispatchData>(
      'mutation { dispatch(input: { action: "test.echo", args: { message: "x" }, startAt: "2026-12-24T10:00" }) { __typename ... on ValidationError { fieldErrors { field message } } } }',
      undefined,
      { token: integrator },
    );
    expect(literal.errors).toBeUndefined();
    expect(literal.data!.dispatch.fieldErrors).toEqual([{ field: 'startAt', message: expect.stringContaining('"2026-12-24T10:00+01:00" or "2026-12-24T10:00Z"') }]);
    expect(await api.app.database.prisma.job.count()).toBe(before);
  });

  it("names a schedule's start and end, and a backfill range, the same way", async () => {
    const create = await api.gql<{ createJob: { __typename: string; fieldErrors?: { field: string; message: string }[] } }>(
      'mutation ($input: CreateJobInput!) { createJob(input: $input) { __typename ... on ValidationError { fieldErrors { field message } } } }',
      { input: { name: 'Local times', action: 'test.echo', args: { message: 'x' }, schedules: [{ kind: 'CRON', cron: '0 9 * * *', timezone: 'UTC', startAt: '2026-12-24T10:00:00', endAt: '2027-01-31T10:00:00Z' }, { kind: 'INTERVAL', intervalSeconds: 60, endAt: 1_798_106_400_000 }] } },
    );
    expect(create.data!.createJob.__typename).toBe('ValidationError');
    expect(create.data!.createJob.fieldErrors!.map((error) => error.field)).toEqual(['schedules[0].startAt', 'schedules[1].endAt']);
    expect(create.data!.createJob.fieldErrors![0]!.message).toMatch(/^startAt needs an offset/);
    const job = (await dispatch({ action: 'test.echo', args: { message: 'x' }, cron: '0 9 * * *' })).data!.dispatch.result!.job;
    const backfill = await api.gql<{ backfillPreview: { __typename: string; fieldErrors?: { field: string; message: string }[] } }>(
      'query ($input: BackfillInput!) { backfillPreview(input: $input) { __typename ... on ValidationError { fieldErrors { field message } } } }',
      { input: { jobId: job.id, from: '2026-11-01T00:00:00', to: '2026-11-30T23:59:59Z' } },
    );
    expect(backfill.data!.backfillPreview).toEqual({ __typename: 'ValidationError', fieldErrors: [{ field: 'from', message: expect.stringMatching(/^from needs an offset/) }] });
  });

  it('needs both JOBS_WRITE and RUNS_EXECUTE', async () => {
    const writer = await api.tokenWith(['JOBS_READ', 'JOBS_WRITE']);
    const refused = await dispatch({ action: 'test.echo', args: { message: 'x' } }, writer);
    expect(refused.errors?.length).toBeGreaterThan(0);
    expect(refused.data?.dispatch ?? null).toBeNull();
  });
});
