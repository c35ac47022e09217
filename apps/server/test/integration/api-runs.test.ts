// Runs over the real HTTP API: run now (args override, title, since), cancel, retry, filters, per-user children,
// the log paged by sequence, and the live subscriptions (SSE): runUpdated, runLogLines and runLog, runsOfJob, runFeed,
// jobUpdated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';
import { subscribe, type Subscription } from '../support/subscribe.js';

const ACTIONS = { actions: { dir: 'apps/server/test/fixtures/api-actions' } };

const RUN_FIELDS = /* GraphQL */ `
  fragment RunFields on Run {
    id status trigger title args since output attempt statusReason errorMessage durationMs lastLogSequence
    job { id name } startedBy { email } targetUser { id }
    childrenTotal childrenSucceeded childrenFailed viewerCanCancel viewerCanRetry
  }
`;

interface RunData {
  id: string;
  status: string;
  trigger: string;
  title: string | null;
  args: Record<string, unknown>;
  since: string | null;
  output: Record<string, unknown> | null;
  errorMessage: string | null;
  durationMs: number | null;
  lastLogSequence: number;
  job: { id: string; name: string };
  startedBy: { email: string } | null;
  targetUser: { id: string } | null;
  childrenTotal: number;
  childrenSucceeded: number;
  childrenFailed: number;
  viewerCanCancel: boolean;
  viewerCanRetry: boolean;
}

const TERMINAL = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED', 'SKIPPED'];

describe('runs API', () => {
  let api: TestApi;

  /** Listeners the app keeps for itself (a worker's slot clock hears job changes): subscriptions come on top. */
  let ownListeners = 0;
  beforeAll(async () => {
    api = await startTestApi(ACTIONS);
    ownListeners = api.app.bus.listenerCount();
  });
  afterAll(() => api?.close());

  async function createJob(input: Record<string, unknown>): Promise<string> {
    const result = await api.gql<{ createJob: { __typename: string; job?: { id: string }; fieldErrors?: unknown } }>(
      /* GraphQL */ `mutation C($input: CreateJobInput!) { createJob(input: $input) {
        __typename ... on MutationCreateJobSuccess { job { id } } ... on ValidationError { fieldErrors { field message } } } }`,
      { input },
    );
    expect(result.data?.createJob.__typename, JSON.stringify(result)).toBe('MutationCreateJobSuccess');
    return result.data!.createJob.job!.id;
  }

  async function runNow(jobId: string, extra: Record<string, unknown> = {}): Promise<RunData> {
    const result = await api.gql<{ runJobNow: { __typename: string; run?: RunData } }>(
      /* GraphQL */ `mutation R($id: ID!, $args: JSON, $title: String, $since: DateTime) {
        runJobNow(id: $id, args: $args, title: $title, since: $since) {
          __typename ... on MutationRunJobNowSuccess { run { ...RunFields } } } } ${RUN_FIELDS}`,
      { id: jobId, ...extra },
    );
    expect(result.data?.runJobNow.__typename, JSON.stringify(result)).toBe('MutationRunJobNowSuccess');
    return result.data!.runJobNow.run!;
  }

  async function readRun(id: string): Promise<RunData> {
    const result = await api.gql<{ run: RunData }>(/* GraphQL */ `query R($id: ID!) { run(id: $id) { ...RunFields } } ${RUN_FIELDS}`, { id });
    return result.data!.run;
  }

  const waitForStatus = (id: string, statuses: string[] = TERMINAL) =>
    waitFor(async () => {
      const run = await readRun(id);
      return statuses.includes(run.status) ? run : null;
    }, 20_000, `run ${id} to be ${statuses.join('/')}`);

  function watch<T>(query: string, variables: object, token: string | null = api.adminToken): Promise<Subscription<T>> {
    return subscribe<T>(api.url, query, variables, token);
  }

  it('runs a job now with args overridden key by key, a title and since; runUpdated follows it to the end', async () => {
    const jobId = await createJob({ name: 'Echo', action: 'test.echo', args: { message: 'job default', count: 2 } });
    const since = '2026-01-02T03:04:05.000Z';
    const run = await runNow(jobId, { args: { message: 'override' }, title: 'By hand', since });
    expect(run).toMatchObject({
      status: 'QUEUED',
      trigger: 'API',
      title: 'By hand',
      args: { message: 'override', count: 2 },
      since,
      startedBy: { email: 'admin@example.com' },
      job: { id: jobId, name: 'Echo' },
    });

    const updates = await watch<{ runUpdated: { id: string; status: string } | null }>(
      /* GraphQL */ `subscription S($id: ID!) { runUpdated(runId: $id) { id status } }`,
      { id: run.id },
    );
    try {
      // First the run as it is now, then its changes, until it is over.
      const first = await updates.next();
      expect(first.data?.runUpdated?.id).toBe(run.id);
      await updates.waitFor((event) => event.data?.runUpdated?.status === 'SUCCEEDED', 20_000, 'SUCCEEDED');
    } finally {
      updates.close();
    }
    const done = await readRun(run.id);
    expect(done.output).toMatchObject({ args: { message: 'override', count: 2 }, since });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.lastLogSequence).toBe(2);
    expect(done).toMatchObject({ viewerCanCancel: false, viewerCanRetry: false });
  });

  it('refuses run-time args that fail the action schema, naming the field, and starts nothing', async () => {
    const jobId = await createJob({ name: 'Strict', action: 'test.echo', args: { message: 'ok' } });
    const result = await api.gql<{ runJobNow: { __typename: string; fieldErrors?: { field: string }[] } }>(
      /* GraphQL */ `mutation R($id: ID!) { runJobNow(id: $id, args: {count: 0}) {
        __typename ... on ValidationError { fieldErrors { field message } } } }`,
      { id: jobId },
    );
    expect(result.data!.runJobNow.__typename).toBe('ValidationError');
    expect(result.data!.runJobNow.fieldErrors!.map((error) => error.field)).toEqual(['args.count']);
    expect(await api.app.database.prisma.run.count({ where: { jobId } })).toBe(0);
  });

  it('pages the stored log by sequence', async () => {
    const jobId = await createJob({ name: 'Chatty', action: 'test.echo', args: { message: 'line', count: 7 } });
    const run = await runNow(jobId);
    await waitForStatus(run.id);
    const LOG = /* GraphQL */ `query L($id: ID!, $first: Int, $after: String, $last: Int) { run(id: $id) {
      log(first: $first, after: $after, last: $last) { pageInfo { hasNextPage endCursor } edges { cursor node { sequence level message } } } } }`;
    type Log = { run: { log: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { cursor: string; node: { sequence: number; message: string } }[] } } };
    const page1 = (await api.gql<Log>(LOG, { id: run.id, first: 3 })).data!.run.log;
    expect(page1.edges.map((edge) => edge.node.sequence)).toEqual([1, 2, 3]);
    expect(page1.edges[0]!.node.message).toBe('line 1');
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: '3' });
    const page2 = (await api.gql<Log>(LOG, { id: run.id, first: 10, after: '3' })).data!.run.log;
    expect(page2.edges.map((edge) => edge.node.sequence)).toEqual([4, 5, 6, 7]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const tail = (await api.gql<Log>(LOG, { id: run.id, last: 2 })).data!.run.log;
    expect(tail.edges.map((edge) => edge.node.sequence)).toEqual([6, 7]);
    const bad = await api.gql<Log>(LOG, { id: run.id, first: 2, after: 'abc' });
    expect(bad.errors?.length).toBeGreaterThan(0);
  });

  it('streams a live log in batches: stored lines first, then live ones, in order, no gap, no duplicate', async () => {
    const jobId = await createJob({ name: 'Live batches', action: 'test.steps', args: { steps: 60, stepMs: 15 } });
    const run = await runNow(jobId);
    await waitFor(async () => (await readRun(run.id)).lastLogSequence >= 5 || null, 20_000, 'some stored lines');
    type Batch = { runLogLines: { runId: string; lastSequence: number; lines: { sequence: number; message: string }[] } };
    const LOG = /* GraphQL */ `subscription L($id: ID!, $after: Int) {
      runLogLines(runId: $id, afterSequence: $after) { runId lastSequence lines { sequence message data } } }`;
    const sequences = (subscription: Subscription<Batch>) =>
      subscription.events.flatMap((event) => event.data!.runLogLines.lines.map((line) => line.sequence));
    const live = await watch<Batch>(LOG, { id: run.id, after: 0 });
    const resumed = await watch<Batch>(LOG, { id: run.id, after: 3 });
    try {
      await live.waitFor(() => sequences(live).length >= 60, 30_000, '60 lines');
      await resumed.waitFor(() => sequences(resumed).length >= 57, 30_000, '57 lines');
      expect(sequences(live)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      expect(sequences(resumed)).toEqual(Array.from({ length: 57 }, (_, index) => index + 4));
      for (const event of [...live.events, ...resumed.events]) {
        const batch = event.data!.runLogLines;
        expect(batch.runId).toBe(run.id);
        expect(batch.lines.length).toBeGreaterThan(0);
        expect(batch.lastSequence).toBe(batch.lines.at(-1)!.sequence);
      }
      expect(live.events[0]!.data!.runLogLines.lines[0]!.message).toBe('step 1');
      // The stored lines came together, not one event each.
      expect(live.events.length).toBeLessThan(60);
    } finally {
      live.close();
      resumed.close();
    }
    await waitForStatus(run.id);
    const after = await watch<Batch>(LOG, { id: run.id, after: 55 });
    try {
      const first = await after.next();
      expect(first.data!.runLogLines.lines.map((line) => line.sequence)).toEqual([56, 57, 58, 59, 60]);
    } finally {
      after.close();
    }
    await waitFor(async () => api.app.bus.listenerCount() === ownListeners || null, 10_000, 'listeners to be released');
  });

  it('gives every subscriber of a run the same batches, each under its own identity and guard', async () => {
    const jobId = await createJob({ name: 'Watched', action: 'test.steps', args: { steps: 150, stepMs: 20 } });
    const run = await runNow(jobId);
    type Batch = { runLogLines: { lines: { sequence: number; message: string; level: string }[] } };
    const LOG = /* GraphQL */ `subscription L($id: ID!) { runLogLines(runId: $id) { lines { sequence message level } } }`;
    const prisma = api.app.database.prisma;
    const role = await prisma.role.create({ data: { name: 'log watchers', permissions: ['JOBS_READ'] } });
    const user = await prisma.user.create({ data: { email: 'watcher@example.com', name: 'Watcher', roles: { create: { roleId: role.id } } } });
    const viewer = (await api.app.auth.createApiToken(user.id, { name: 'watcher' })).secret;
    const admin = await watch<Batch>(LOG, { id: run.id });
    const first = await watch<Batch>(LOG, { id: run.id }, viewer);
    const second = await watch<Batch>(LOG, { id: run.id }, viewer);
    const lines = (subscription: Subscription<Batch>) => subscription.events.flatMap((event) => event.data?.runLogLines.lines ?? []);
    try {
      await first.waitFor(() => lines(first).length >= 10, 20_000, '10 lines');
      // The viewer's role loses JOBS_READ: its subscriptions end, the admin's goes on.
      await prisma.role.update({ where: { id: role.id }, data: { permissions: [] } });
      for (const subscription of [first, second]) {
        const last = await subscription.waitFor((event) => Boolean(event.errors), 8000, 'the closing message');
        expect(last.errors?.[0]?.message).toBe('subscription closed: permission removed: JOBS_READ');
      }
      await admin.waitFor(() => lines(admin).length >= 150, 30_000, '150 lines');
      const expected = Array.from({ length: 150 }, (_, index) => ({ sequence: index + 1, message: `step ${index + 1}`, level: 'INFO' }));
      expect(lines(admin)).toEqual(expected);
      for (const subscription of [first, second]) {
        const seen = lines(subscription);
        expect(seen.length).toBeGreaterThanOrEqual(10);
        expect(seen).toEqual(expected.slice(0, seen.length));
      }
    } finally {
      admin.close();
      first.close();
      second.close();
    }
  });

  it('streams a live log: stored lines first, then live ones, in order, no gap, no duplicate', async () => {
    const jobId = await createJob({ name: 'Live', action: 'test.steps', args: { steps: 60, stepMs: 15 } });
    const run = await runNow(jobId);
    // Join while the run is writing: some lines are stored already, the rest arrive live.
    await waitFor(async () => (await readRun(run.id)).lastLogSequence >= 5 || null, 20_000, 'some stored lines');
    const LOG = /* GraphQL */ `subscription L($id: ID!, $after: Int) { runLog(runId: $id, afterSequence: $after) { sequence message data } }`;
    const live = await watch<{ runLog: { sequence: number; message: string } }>(LOG, { id: run.id, after: 0 });
    const resumed = await watch<{ runLog: { sequence: number } }>(LOG, { id: run.id, after: 3 });
    try {
      await live.waitFor(() => live.events.length >= 60, 30_000, '60 lines');
      await resumed.waitFor(() => resumed.events.length >= 57, 30_000, '57 lines');
      expect(live.events.map((event) => event.data!.runLog.sequence)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
      expect(live.events[0]!.data!.runLog.message).toBe('step 1');
      expect(resumed.events.map((event) => event.data!.runLog.sequence)).toEqual(Array.from({ length: 57 }, (_, index) => index + 4));
    } finally {
      live.close();
      resumed.close();
    }
    await waitForStatus(run.id);
    // After the run: the stored lines only, from where the client says.
    const after = await watch<{ runLog: { sequence: number } }>(LOG, { id: run.id, after: 55 });
    try {
      await after.waitFor(() => after.events.length >= 5, 15_000, '5 stored lines');
      expect(after.events.map((event) => event.data!.runLog.sequence)).toEqual([56, 57, 58, 59, 60]);
    } finally {
      after.close();
    }
    // Closed subscriptions let go of the bus.
    await waitFor(async () => api.app.bus.listenerCount() === ownListeners || null, 10_000, 'listeners to be released');
  });

  it('cancels a running run, and says why a finished one cannot be cancelled', async () => {
    const jobId = await createJob({ name: 'Long', action: 'test.steps', args: { steps: 10_000, stepMs: 50 } });
    const run = await runNow(jobId);
    await waitForStatus(run.id, ['RUNNING']);
    const CANCEL = /* GraphQL */ `mutation C($id: ID!) { cancelRun(id: $id) {
      __typename ... on MutationCancelRunSuccess { run { status } } ... on ConflictError { message } } }`;
    const cancelled = await api.gql<{ cancelRun: { __typename: string; run?: { status: string } } }>(CANCEL, { id: run.id });
    expect(cancelled.data!.cancelRun.__typename).toBe('MutationCancelRunSuccess');
    expect(['CANCELLING', 'CANCELLED']).toContain(cancelled.data!.cancelRun.run!.status);
    const final = await waitForStatus(run.id);
    expect(final.status).toBe('CANCELLED');
    expect(final.viewerCanRetry).toBe(true);
    const again = await api.gql<{ cancelRun: { __typename: string; message?: string } }>(CANCEL, { id: run.id });
    expect(again.data!.cancelRun).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('cancelled') });
    const missing = await api.gql<{ cancelRun: { __typename: string } }>(
      /* GraphQL */ `mutation { cancelRun(id: "00000000-0000-7000-8000-000000000000") { __typename } }`,
    );
    expect(missing.data!.cancelRun.__typename).toBe('NotFoundError');
  });

  it('retries a failed run as a new run, and filters runs by job, status, trigger and time', async () => {
    const jobId = await createJob({ name: 'Broken', action: 'test.fail' });
    const run = await runNow(jobId);
    const failed = await waitForStatus(run.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorMessage: 'this action always fails', viewerCanRetry: true });
    const retried = await api.gql<{ retryRun: { __typename: string; run?: { id: string; trigger: string } } }>(
      /* GraphQL */ `mutation R($id: ID!) { retryRun(id: $id) { __typename ... on MutationRetryRunSuccess { run { id trigger } } } }`,
      { id: run.id },
    );
    expect(retried.data!.retryRun.__typename).toBe('MutationRetryRunSuccess');
    const retry = retried.data!.retryRun.run!;
    expect(retry.trigger).toBe('RETRY');
    expect(retry.id).not.toBe(run.id);
    await waitForStatus(retry.id);

    const RUNS = /* GraphQL */ `query Runs($filter: RunFilter, $orderBy: RunOrder) { runs(filter: $filter, orderBy: $orderBy, first: 50) {
      totalCount edges { node { id trigger status } } } }`;
    type Runs = { runs: { totalCount: number; edges: { node: { id: string; trigger: string; status: string } }[] } };
    const ofJob = (await api.gql<Runs>(RUNS, { filter: { jobId } })).data!.runs;
    expect(ofJob.totalCount).toBe(2);
    expect(ofJob.edges.map((edge) => edge.node.id)).toEqual([retry.id, run.id]);
    const oldestFirst = (await api.gql<Runs>(RUNS, { filter: { jobId }, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).data!.runs;
    expect(oldestFirst.edges.map((edge) => edge.node.id)).toEqual([run.id, retry.id]);
    const retries = (await api.gql<Runs>(RUNS, { filter: { jobId, trigger: ['RETRY'] } })).data!.runs;
    expect(retries.edges.map((edge) => edge.node.id)).toEqual([retry.id]);
    const failedOnes = (await api.gql<Runs>(RUNS, { filter: { jobId, status: ['FAILED'] } })).data!.runs;
    expect(failedOnes.totalCount).toBe(2);
    const future = (await api.gql<Runs>(RUNS, { filter: { jobId, createdAfter: new Date(Date.now() + 60_000).toISOString() } })).data!.runs;
    expect(future.totalCount).toBe(0);
    const past = (await api.gql<Runs>(RUNS, { filter: { jobId, createdBefore: new Date(Date.now() + 60_000).toISOString() } })).data!.runs;
    expect(past.totalCount).toBe(2);

    const job = await api.gql<{ job: { lastRun: { id: string }; lastSuccess: null; runCounts: { total: number; failed: number } } }>(
      /* GraphQL */ `query J($id: ID!) { job(id: $id) { lastRun { id } lastSuccess { id } runCounts { total failed } } }`,
      { id: jobId },
    );
    expect(job.data!.job).toEqual({ lastRun: { id: retry.id }, lastSuccess: null, runCounts: { total: 2, failed: 2 } });
    const byLastStatus = await api.gql<{ jobs: { edges: { node: { id: string } }[] } }>(
      /* GraphQL */ `query J($status: [RunStatus!]) { jobs(first: 100, filter: { lastRunStatus: $status }) { edges { node { id } } } }`,
      { status: ['FAILED'] },
    );
    expect(byLastStatus.data!.jobs.edges.map((edge) => edge.node.id)).toContain(jobId);
    const succeededLast = await api.gql<{ jobs: { edges: { node: { id: string } }[] } }>(
      /* GraphQL */ `query J($status: [RunStatus!]) { jobs(first: 100, filter: { lastRunStatus: $status }) { edges { node { id } } } }`,
      { status: ['SUCCEEDED'] },
    );
    expect(succeededLast.data!.jobs.edges.map((edge) => edge.node.id)).not.toContain(jobId);
  });

  it('runs per user: one child per target user, rolled up into the parent, paged as children', async () => {
    const prisma = api.app.database.prisma;
    const role = await prisma.role.create({ data: { name: 'per-user-team' } });
    for (const name of ['Uno', 'Dos', 'Tres']) {
      await prisma.user.create({ data: { email: `${name.toLowerCase()}@example.com`, name, roles: { create: { roleId: role.id } } } });
    }
    const jobId = await createJob({ name: 'Per user', action: 'test.echo', args: { message: 'hello' }, perUser: true, targetRoleIds: [role.id] });
    const run = await runNow(jobId);
    const done = await waitForStatus(run.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', childrenTotal: 3, childrenSucceeded: 3, childrenFailed: 0 });
    const children = await api.gql<{ run: { children: { totalCount: number; edges: { node: { status: string; targetUser: { name: string }; parentRun: { id: string } } }[] } } }>(
      /* GraphQL */ `query C($id: ID!) { run(id: $id) { children(first: 10) { totalCount edges { node { status targetUser { name } parentRun { id } } } } } }`,
      { id: run.id },
    );
    const page = children.data!.run.children;
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((edge) => edge.node.targetUser.name).sort()).toEqual(['Dos', 'Tres', 'Uno']);
    expect(page.edges.every((edge) => edge.node.status === 'SUCCEEDED' && edge.node.parentRun.id === run.id)).toBe(true);
    // Children are not top-level runs.
    const top = await api.gql<{ runs: { totalCount: number } }>(/* GraphQL */ `query R($id: ID!) { runs(filter: { jobId: $id }) { totalCount } }`, { id: jobId });
    expect(top.data!.runs.totalCount).toBe(1);
  });

  it('pushes the runs of a job, the dashboard feed and job changes as they happen', async () => {
    const jobId = await createJob({ name: 'Watched', action: 'test.echo', args: { message: 'w' } });
    const ofJob = await watch<{ runsOfJob: { id: string; status: string } | null }>(
      /* GraphQL */ `subscription S($id: ID!) { runsOfJob(jobId: $id) { id status } }`,
      { id: jobId },
    );
    const feed = await watch<{ runFeed: { id: string; status: string; job: { name: string } } | null }>(
      /* GraphQL */ `subscription { runFeed { id status job { name } } }`,
      {},
    );
    const jobEvents = await watch<{ jobUpdated: { change: string; job: { name: string } | null } }>(
      /* GraphQL */ `subscription S($id: ID!) { jobUpdated(jobId: $id) { change jobId job { name } } }`,
      { id: jobId },
    );
    try {
      // SSE subscriptions are set up when the response starts; wait until the server listens before acting.
      await waitFor(async () => api.app.bus.listenerCount() >= ownListeners + 3 || null, 10_000, 'three listeners');
      const run = await runNow(jobId);
      await ofJob.waitFor((event) => event.data?.runsOfJob?.id === run.id && event.data.runsOfJob.status === 'SUCCEEDED', 20_000, 'the job run to succeed');
      await feed.waitFor((event) => event.data?.runFeed?.id === run.id && event.data.runFeed.status === 'SUCCEEDED', 20_000, 'the feed to show it');
      expect(feed.events.find((event) => event.data?.runFeed?.id === run.id)!.data!.runFeed!.job.name).toBe('Watched');

      await api.gql(/* GraphQL */ `mutation U($id: ID!) { updateJob(id: $id, input: { name: "Watched 2" }) { __typename } }`, { id: jobId });
      await jobEvents.waitFor((event) => event.data?.jobUpdated.job?.name === 'Watched 2', 15_000, 'the rename');
      await api.gql(/* GraphQL */ `mutation D($id: ID!) { deleteJob(id: $id) { __typename } }`, { id: jobId });
      const deleted = await jobEvents.waitFor((event) => event.data?.jobUpdated.change === 'DELETED', 15_000, 'the deletion');
      expect(deleted.data!.jobUpdated.job).toBeNull();
    } finally {
      ofJob.close();
      feed.close();
      jobEvents.close();
    }
  });

  it('refuses subscriptions without an identity or for unknown runs', async () => {
    const anonymous = await watch<{ runFeed: { id: string } | null }>(/* GraphQL */ `subscription { runFeed { id } }`, {}, null);
    try {
      const first = await anonymous.next();
      expect(first.errors?.length).toBeGreaterThan(0);
      expect(first.data?.runFeed ?? null).toBeNull();
    } finally {
      anonymous.close();
    }
    for (const query of [
      /* GraphQL */ `subscription { runLog(runId: "00000000-0000-7000-8000-000000000000") { sequence } }`,
      /* GraphQL */ `subscription { runLogLines(runId: "00000000-0000-7000-8000-000000000000") { lines { sequence } } }`,
    ]) {
      const unknown = await watch(query, {});
      try {
        const first = await unknown.next();
        expect(first.errors?.[0]?.message).toContain('no run with id');
      } finally {
        unknown.close();
      }
    }
  });
});
