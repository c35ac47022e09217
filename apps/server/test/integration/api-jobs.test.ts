// Jobs over the real HTTP API: create, read, filter, sort, page, update, pause/resume, delete; validation errors
// as typed results naming their field; schedule preview; permission flags and refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';

const ACTIONS = { actions: { dir: 'apps/server/test/fixtures/api-actions' } };

const JOB_FIELDS = /* GraphQL */ `
  fragment JobFields on Job {
    id name description action args enabled disabledReason perUser
    schedules { id label enabled args kind cron timezone intervalSeconds runAt startAt endAt runLimit runCount nextRunAt }
    upcomingRuns(count: 3) { at scheduleTitle schedule { id } }
    scheduleDescription nextRunAt nextFireTimes(count: 3)
    retries timeoutMs queue priority overlapPolicy misfirePolicy
    actionDetails { name argsJsonSchema defaults { retries timeoutMs } }
    targetUsers { id name } targetRoles { id name }
    createdBy { email }
    lastRun { id status } lastSuccess { id } runCounts { total succeeded failed }
    viewerCanRun viewerCanEdit viewerCanDelete
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateJobInput!) {
    createJob(input: $input) {
      __typename
      ... on MutationCreateJobSuccess { job { ...JobFields } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }
  ${JOB_FIELDS}
`;

interface JobData {
  id: string;
  name: string;
  enabled: boolean;
  args: Record<string, unknown>;
  schedules: { id: string; label: string | null; enabled: boolean; args: unknown; kind: string; cron: string | null; timezone: string; runCount: number; nextRunAt: string | null }[];
  upcomingRuns: { at: string; scheduleTitle: string; schedule: { id: string } }[];
  scheduleDescription: string;
  nextRunAt: string | null;
  nextFireTimes: string[];
  targetUsers: { id: string; name: string }[];
  targetRoles: { id: string; name: string }[];
  createdBy: { email: string } | null;
  lastRun: { id: string; status: string } | null;
  runCounts: { total: number };
  viewerCanRun: boolean;
  viewerCanEdit: boolean;
}

type CreateResult = { createJob: { __typename: string; job?: JobData; fieldErrors?: { field: string; message: string }[] } };

describe('jobs API', () => {
  let api: TestApi;
  let roleId: string;
  let userId: string;

  beforeAll(async () => {
    api = await startTestApi(ACTIONS);
    const role = await api.app.database.prisma.role.create({ data: { name: 'team-a' } });
    const user = await api.app.database.prisma.user.create({ data: { email: 'ana@example.com', name: 'Ana' } });
    roleId = role.id;
    userId = user.id;
  });
  afterAll(() => api?.close());

  it('creates a cron job with targets and reads it back with its schedule, fire times and flags', async () => {
    const result = await api.gql<CreateResult>(CREATE, {
      input: {
        name: '  Daily hello ',
        action: 'test.echo',
        args: { message: 'hi' },
        schedules: [{ kind: 'CRON', cron: '0 9 * * 1-5', timezone: 'Europe/Madrid' }],
        targetUserIds: [userId],
        targetRoleIds: [roleId],
        retries: 2,
      },
    });
    expect(result.errors).toBeUndefined();
    const job = result.data!.createJob.job!;
    expect(result.data!.createJob.__typename).toBe('MutationCreateJobSuccess');
    expect(job.name).toBe('Daily hello');
    // The action's default (count: 1) is not stored: the job follows the action's default; its runs get it.
    expect(job.args).toEqual({ message: 'hi' });
    expect(job.schedules).toMatchObject([{ kind: 'CRON', cron: '0 9 * * 1-5', timezone: 'Europe/Madrid', runCount: 0 }]);
    expect(job.scheduleDescription).toContain('Europe/Madrid');
    expect(job.nextFireTimes).toHaveLength(3);
    expect(job.nextFireTimes[0]).toBe(job.nextRunAt);
    expect(new Date(job.nextFireTimes[1]!).getTime()).toBeGreaterThan(new Date(job.nextFireTimes[0]!).getTime());
    expect(job.targetUsers).toEqual([{ id: userId, name: 'Ana' }]);
    expect(job.targetRoles).toEqual([{ id: roleId, name: 'team-a' }]);
    expect(job.createdBy).toEqual({ email: 'admin@example.com' });
    expect(job.lastRun).toBeNull();
    expect(job.runCounts.total).toBe(0);
    expect(job).toMatchObject({ viewerCanRun: true, viewerCanEdit: true });
  });

  it('returns every validation problem at once, each naming the input field, and saves nothing', async () => {
    const before = await api.app.database.prisma.job.count();
    const result = await api.gql<CreateResult>(CREATE, {
      input: {
        name: '',
        action: 'test.echo',
        args: { count: 0 },
        schedules: [{ kind: 'CRON', cron: '61 * * * *', timezone: 'Mars/Olympus' }],
        targetUserIds: ['not-a-user'],
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createJob.__typename).toBe('ValidationError');
    const fields = result.data!.createJob.fieldErrors!.map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'args.message', 'args.count', 'schedules[0].cron', 'schedules[0].timezone', 'targetUserIds']),
    );
    expect(await api.app.database.prisma.job.count()).toBe(before);
  });

  it('refuses a second job with a taken key at the key field, and lets a job keep its own key', async () => {
    const first = await api.gql<CreateResult>(CREATE, { input: { name: 'Keyed', key: 'keyed-job', action: 'test.echo', args: { message: 'a' } } });
    expect(first.data!.createJob.__typename).toBe('MutationCreateJobSuccess');
    const before = await api.app.database.prisma.job.count();
    const second = await api.gql<CreateResult>(CREATE, { input: { name: 'Other', key: 'keyed-job', action: 'test.echo', args: { message: 'a' } } });
    expect(second.errors).toBeUndefined();
    expect(second.data!.createJob.fieldErrors).toEqual([{ field: 'key', message: 'is already the key of the job "Keyed"' }]);
    expect(await api.app.database.prisma.job.count()).toBe(before);
    const UPDATE = /* GraphQL */ `mutation U($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) {
      __typename ... on ValidationError { fieldErrors { field message } } } }`;
    const kept = await api.gql<{ updateJob: { __typename: string } }>(UPDATE, { id: first.data!.createJob.job!.id, input: { key: 'keyed-job', name: 'Keyed again' } });
    expect(kept.data!.updateJob.__typename).toBe('MutationUpdateJobSuccess');
  });

  it('names schedules[i].kind (the input field), not the service field, and refuses args that are not an object', async () => {
    const missing = await api.gql<CreateResult>(CREATE, {
      input: { name: 'x', action: 'test.echo', args: { message: 'a' }, schedules: [{ kind: 'INTERVAL' }] },
    });
    expect(missing.data!.createJob.fieldErrors!.map((error) => error.field)).toContain('schedules[0].intervalSeconds');
    const array = await api.gql<CreateResult>(CREATE, { input: { name: 'x', action: 'test.echo', args: [1, 2] } });
    expect(array.data!.createJob.fieldErrors).toEqual([{ field: 'args', message: expect.stringContaining('JSON object') }]);
    const unknownAction = await api.gql<CreateResult>(CREATE, { input: { name: 'x', action: 'nope' } });
    expect(unknownAction.data!.createJob.fieldErrors![0]).toMatchObject({ field: 'action', message: expect.stringContaining('test.echo') });
  });

  it('takes several schedules: upcoming runs name their schedule, an update keeps one given with its id, errors name the entry', async () => {
    const created = await api.gql<CreateResult>(CREATE, {
      input: {
        name: 'Twice',
        action: 'test.echo',
        args: { message: 'job' },
        schedules: [
          { label: 'Morning', kind: 'CRON', cron: '0 9 * * *', timezone: 'UTC', args: { message: 'morning' } },
          { label: 'Evening', kind: 'CRON', cron: '0 18 * * *', timezone: 'UTC' },
        ],
      },
    });
    const job = created.data!.createJob.job!;
    expect(job.schedules.map((schedule) => [schedule.label, schedule.args])).toEqual([['Morning', { message: 'morning' }], ['Evening', null]]);
    // Three slots, from both schedules (which one comes twice depends on the time of day).
    const titles = job.upcomingRuns.map((run) => run.scheduleTitle);
    expect(titles).toHaveLength(3);
    expect(new Set(titles)).toEqual(new Set(['Morning', 'Evening']));
    expect(job.upcomingRuns[0]!.at).toBe(job.nextRunAt);
    const [morning] = job.schedules;

    const UPDATE = /* GraphQL */ `mutation U($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) {
      __typename ... on MutationUpdateJobSuccess { job { schedules { id label kind } } } ... on ValidationError { fieldErrors { field message } } } }`;
    type UpdateResult = { updateJob: { __typename: string; job?: { schedules: { id: string; label: string; kind: string }[] }; fieldErrors?: { field: string }[] } };
    const kept = await api.gql<UpdateResult>(UPDATE, {
      id: job.id,
      input: { schedules: [{ id: morning!.id, label: 'Morning', kind: 'CRON', cron: '0 9 * * *', timezone: 'UTC', args: { message: 'morning' } }] },
    });
    expect(kept.data!.updateJob.job!.schedules).toEqual([{ id: morning!.id, label: 'Morning', kind: 'CRON' }]);
    const refused = await api.gql<UpdateResult>(UPDATE, {
      id: job.id,
      input: { schedules: [{ kind: 'CRON', cron: '0 9 * * *' }, { kind: 'MANUAL' }, { kind: 'ONCE' }] },
    });
    expect(refused.data!.updateJob.fieldErrors!.map((error) => error.field)).toEqual(['schedules[1].kind', 'schedules[2].runAt']);

    const preview = await api.gql<{ schedulesPreview: { valid: boolean; slots: { scheduleIndex: number; scheduleTitle: string }[] } }>(
      /* GraphQL */ `query P($inputs: [ScheduleEntryInput!]!) { schedulesPreview(inputs: $inputs, count: 4) { valid slots { at scheduleIndex scheduleTitle } } }`,
      { inputs: [{ kind: 'INTERVAL', intervalSeconds: 3600, label: 'Hourly' }, { kind: 'INTERVAL', intervalSeconds: 5400 }] },
    );
    expect(preview.data!.schedulesPreview.valid).toBe(true);
    expect(preview.data!.schedulesPreview.slots.map((slot) => slot.scheduleIndex)).toEqual([0, 1, 0, 0]);
    expect(preview.data!.schedulesPreview.slots[1]!.scheduleTitle).toBe('Every 90 minutes');
  });

  it('previews a schedule for forms: next times and description, or field errors', async () => {
    const preview = await api.gql<{ schedulePreview: { valid: boolean; description: string | null; nextFireTimes: string[]; fieldErrors: { field: string }[] } }>(
      /* GraphQL */ `query P($input: ScheduleInput!) { schedulePreview(input: $input, count: 4) { valid description nextFireTimes fieldErrors { field message } } }`,
      { input: { kind: 'INTERVAL', intervalSeconds: 900 } },
    );
    expect(preview.data!.schedulePreview).toMatchObject({ valid: true, description: 'Every 15 minutes', fieldErrors: [] });
    expect(preview.data!.schedulePreview.nextFireTimes).toHaveLength(4);
    const bad = await api.gql<{ schedulePreview: { valid: boolean; fieldErrors: { field: string }[] } }>(
      /* GraphQL */ `query P($input: ScheduleInput!) { schedulePreview(input: $input) { valid fieldErrors { field message } } }`,
      { input: { kind: 'CRON', cron: 'every day', runAt: '2030-01-01T00:00:00Z' } },
    );
    expect(bad.data!.schedulePreview.valid).toBe(false);
    expect(bad.data!.schedulePreview.fieldErrors.map((error) => error.field).sort()).toEqual(['cron', 'runAt']);
  });

  it('updates only the fields given, pauses and resumes, and deletes', async () => {
    const created = (await api.gql<CreateResult>(CREATE, {
      input: { name: 'Editable', action: 'test.echo', args: { message: 'one' }, schedules: [{ kind: 'INTERVAL', intervalSeconds: 3600 }] },
    })).data!.createJob.job!;

    const updated = await api.gql<{ updateJob: { __typename: string; job?: JobData; fieldErrors?: unknown } }>(
      /* GraphQL */ `mutation U($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) {
        __typename ... on MutationUpdateJobSuccess { job { ...JobFields } } ... on ValidationError { fieldErrors { field message } } } }
        ${JOB_FIELDS}`,
      { id: created.id, input: { args: { message: 'two', count: 2 }, targetRoleIds: [roleId] } },
    );
    expect(updated.data!.updateJob.__typename).toBe('MutationUpdateJobSuccess');
    expect(updated.data!.updateJob.job).toMatchObject({ name: 'Editable', args: { message: 'two', count: 2 }, schedules: [{ kind: 'INTERVAL' }] });
    expect(updated.data!.updateJob.job!.targetRoles).toEqual([{ id: roleId, name: 'team-a' }]);

    const paused = await api.gql<{ disableJob: { job: { enabled: boolean; nextRunAt: string | null; nextFireTimes: string[] } } }>(
      /* GraphQL */ `mutation D($id: ID!) { disableJob(id: $id) { ... on MutationDisableJobSuccess { job { enabled nextRunAt nextFireTimes } } } }`,
      { id: created.id },
    );
    expect(paused.data!.disableJob.job).toEqual({ enabled: false, nextRunAt: null, nextFireTimes: [] });
    const resumed = await api.gql<{ enableJob: { job: { enabled: boolean; nextRunAt: string | null } } }>(
      /* GraphQL */ `mutation E($id: ID!) { enableJob(id: $id) { ... on MutationEnableJobSuccess { job { enabled nextRunAt } } } }`,
      { id: created.id },
    );
    expect(resumed.data!.enableJob.job.enabled).toBe(true);
    expect(resumed.data!.enableJob.job.nextRunAt).not.toBeNull();

    const deleted = await api.gql<{ deleteJob: { __typename: string; deletedJobId?: string } }>(
      /* GraphQL */ `mutation X($id: ID!) { deleteJob(id: $id) { __typename ... on MutationDeleteJobSuccess { deletedJobId } } }`,
      { id: created.id },
    );
    expect(deleted.data!.deleteJob).toEqual({ __typename: 'MutationDeleteJobSuccess', deletedJobId: created.id });
    const again = await api.gql<{ deleteJob: { __typename: string; entity?: string } }>(
      /* GraphQL */ `mutation X($id: ID!) { deleteJob(id: $id) { __typename ... on NotFoundError { entity id message } } }`,
      { id: created.id },
    );
    expect(again.data!.deleteJob).toMatchObject({ __typename: 'NotFoundError', entity: 'job' });
    const gone = await api.gql<{ job: null }>(/* GraphQL */ `query J($id: ID!) { job(id: $id) { id } }`, { id: created.id });
    expect(gone.data!.job).toBeNull();
  });

  it('filters, sorts and pages jobs', async () => {
    const prisma = api.app.database.prisma;
    // One capitalisation: the order of mixed case follows the database's collation.
    const names = ['Filter Alpha', 'Filter Beta', 'Filter Gamma', 'Filter Delta', 'Filter Epsilon'];
    for (const [index, name] of names.entries()) {
      const result = await api.gql<CreateResult>(CREATE, {
        input: {
          name,
          action: index % 2 === 0 ? 'test.echo' : 'test.steps',
          args: index % 2 === 0 ? { message: 'x' } : {},
          enabled: index !== 4,
          targetUserIds: index === 1 ? [userId] : [],
          targetRoleIds: index === 2 ? [roleId] : [],
        },
      });
      expect(result.data!.createJob.__typename).toBe('MutationCreateJobSuccess');
    }
    // Ana is a member of team-a: the Gamma job targets her through the role.
    await prisma.userRole.create({ data: { userId, roleId } });

    const JOBS = /* GraphQL */ `query Jobs($filter: JobFilter, $orderBy: JobOrder, $first: Int, $after: String) {
      jobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name action enabled } } } }`;
    type Page = { jobs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { name: string; action: string; enabled: boolean } }[] } };
    const names$ = (page: Page) => page.jobs.edges.map((edge) => edge.node.name);

    const searched = (await api.gql<Page>(JOBS, { filter: { search: 'filter' }, orderBy: { field: 'NAME', direction: 'DESC' } })).data!;
    expect(searched.jobs.totalCount).toBe(5);
    expect(names$(searched)).toEqual(['Filter Gamma', 'Filter Epsilon', 'Filter Delta', 'Filter Beta', 'Filter Alpha']);

    const byAction = (await api.gql<Page>(JOBS, { filter: { search: 'FILTER', action: 'test.steps' } })).data!;
    expect(names$(byAction)).toEqual(['Filter Beta', 'Filter Delta']);
    const searchAction = (await api.gql<Page>(JOBS, { filter: { search: 'test.ste' } })).data!;
    expect(names$(searchAction)).toEqual(['Filter Beta', 'Filter Delta']);
    const disabled = (await api.gql<Page>(JOBS, { filter: { search: 'Filter', enabled: false } })).data!;
    expect(names$(disabled)).toEqual(['Filter Epsilon']);
    const forAna = (await api.gql<Page>(JOBS, { filter: { search: 'Filter', targetUserId: userId } })).data!;
    expect(names$(forAna)).toEqual(['Filter Beta', 'Filter Gamma']);
    const forRole = (await api.gql<Page>(JOBS, { filter: { search: 'Filter', roleId } })).data!;
    expect(names$(forRole)).toEqual(['Filter Gamma']);

    const first = (await api.gql<Page>(JOBS, { filter: { search: 'Filter' }, first: 2 })).data!;
    expect(names$(first)).toEqual(['Filter Alpha', 'Filter Beta']);
    expect(first.jobs.pageInfo.hasNextPage).toBe(true);
    const second = (await api.gql<Page>(JOBS, { filter: { search: 'Filter' }, first: 2, after: first.jobs.pageInfo.endCursor })).data!;
    expect(names$(second)).toEqual(['Filter Delta', 'Filter Epsilon']);
    const third = (await api.gql<Page>(JOBS, { filter: { search: 'Filter' }, first: 2, after: second.jobs.pageInfo.endCursor })).data!;
    expect(names$(third)).toEqual(['Filter Gamma']);
    expect(third.jobs.pageInfo.hasNextPage).toBe(false);

    // Soonest next run first, jobs without one (paused, manual) last, paged across that boundary.
    await prisma.job.updateMany({ where: { name: 'Filter Delta' }, data: { nextRunAt: new Date(Date.now() + 60_000) } });
    await prisma.job.updateMany({ where: { name: 'Filter Alpha' }, data: { nextRunAt: new Date(Date.now() + 120_000) } });
    const soon = (await api.gql<Page>(JOBS, { filter: { search: 'Filter' }, orderBy: { field: 'NEXT_RUN_AT' }, first: 3 })).data!;
    expect(names$(soon).slice(0, 2)).toEqual(['Filter Delta', 'Filter Alpha']);
    const rest = (await api.gql<Page>(JOBS, { filter: { search: 'Filter' }, orderBy: { field: 'NEXT_RUN_AT' }, first: 3, after: soon.jobs.pageInfo.endCursor })).data!;
    expect([...names$(soon), ...names$(rest)].sort()).toEqual([...names].sort());
  });

  it('gives a reader the jobs with permission flags off, and refuses their writes', async () => {
    const viewer = await api.tokenWith(['JOBS_READ']);
    const page = await api.gql<{ jobs: { edges: { node: { viewerCanRun: boolean; viewerCanEdit: boolean; viewerCanDelete: boolean } }[] } }>(
      /* GraphQL */ `{ jobs(first: 1) { edges { node { viewerCanRun viewerCanEdit viewerCanDelete } } } }`,
      {},
      { token: viewer },
    );
    expect(page.data!.jobs.edges[0]!.node).toEqual({ viewerCanRun: false, viewerCanEdit: false, viewerCanDelete: false });
    const before = await api.app.database.prisma.job.count();
    const refused = await api.gql(CREATE, { input: { name: 'sneaky', action: 'test.echo', args: { message: 'x' } } }, { token: viewer });
    expect(refused.errors?.[0]?.message).toMatch(/not authorized|forbidden|permission/i);
    expect(await api.app.database.prisma.job.count()).toBe(before);
    const anonymous = await api.gql(/* GraphQL */ `{ jobs(first: 1) { edges { node { id } } } }`, {}, { token: null });
    expect(anonymous.data?.jobs ?? null).toBeNull();
    expect(anonymous.errors?.length).toBeGreaterThan(0);
  });
});
