// No N+1: a page of jobs with their last run, last success, run counts, targets and roles costs the same number of
// SQL queries for 5 jobs as for 50. Counted at the pg pool every Prisma query goes through, on a process that does
// not execute jobs (so no scheduler polling is counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSummaries } from '../../src/services/job-summaries.js';
import { startTestApi, type TestApi } from '../support/api.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    jobs(first: $first) {
      totalCount
      edges { node {
        id name scheduleDescription nextFireTimes(count: 2) viewerCanRun viewerCanEdit
        actionDetails { name }
        createdBy { email }
        targetUsers { id name roles { name } }
        targetRoles { id name memberCount }
        lastRun { id status durationMs job { name } startedBy { email } }
        lastSuccess { id finishedAt }
        runCounts { total succeeded failed byStatus { status count } }
      } }
    }
  }
`;

describe('SQL queries per page of jobs', () => {
  let api: TestApi;
  const statements: string[] = [];
  let counting = false;

  beforeAll(async () => {
    // The page asks for every field a job has, 50 at a time: more than graphql.max_cost allows, which is not what this
    // counts (query-cost.test.ts does).
    api = await startTestApi({ actions: { dir: 'apps/server/test/fixtures/api-actions' }, jobs: { enabled: false }, graphql: { max_cost: 20_000 } });
    const { pool, prisma } = api.app.database;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string }).text ?? '';
      if (counting) statements.push(text);
      return query(...args);
    };

    const admin = await prisma.user.findFirstOrThrow({ where: { email: 'admin@example.com' } });
    const roles = await prisma.role.createManyAndReturn({ data: Array.from({ length: 5 }, (_, index) => ({ name: `team-${index}` })) });
    const users = await prisma.user.createManyAndReturn({
      data: Array.from({ length: 20 }, (_, index) => ({ email: `member${index}@example.com`, name: `Member ${index}` })),
    });
    await prisma.userRole.createMany({ data: users.map((user, index) => ({ userId: user.id, roleId: roles[index % roles.length]!.id })) });
    for (let index = 0; index < 50; index += 1) {
      const job = await prisma.job.create({
        data: {
          name: `Job ${String(index).padStart(2, '0')}`,
          action: 'test.echo',
          args: { message: 'hi' },
          schedules: { create: [{ position: 0, scheduleKind: 'INTERVAL', intervalSeconds: 3600, nextRunAt: new Date(Date.now() + 3600_000) }] },
          nextRunAt: new Date(Date.now() + 3600_000),
          createdById: admin.id,
          targetUsers: { create: [{ userId: users[index % 20]!.id }, { userId: users[(index + 7) % 20]!.id }] },
          targetRoles: { create: [{ roleId: roles[index % 5]!.id }] },
          notifyUsers: { create: [{ userId: users[(index + 3) % 20]!.id }] },
          notifyRoles: { create: [{ roleId: roles[(index + 1) % 5]!.id }, { roleId: roles[(index + 2) % 5]!.id }] },
        },
      });
      const started = new Date(Date.now() - 60_000);
      await prisma.run.createMany({
        data: [
          { jobId: job.id, trigger: 'SCHEDULE', status: 'SUCCEEDED', startedAt: started, finishedAt: new Date(started.getTime() + 500), createdAt: new Date(Date.now() - 30_000) },
          { jobId: job.id, trigger: 'MANUAL', status: 'FAILED', startedById: admin.id, startedAt: started, finishedAt: started, createdAt: new Date(Date.now() - 20_000) },
          { jobId: job.id, trigger: 'SCHEDULE', status: 'RUNNING', startedAt: started, createdAt: new Date(Date.now() - 10_000) },
        ],
      });
    }
  });
  afterAll(() => api?.close());

  async function countFor(first: number) {
    statements.length = 0;
    counting = true;
    const result = await api.gql<{ jobs: { edges: { node: { lastRun: { status: string }; lastSuccess: { id: string } | null; targetUsers: unknown[]; runCounts: { total: number } } }[] } }>(PAGE, { first });
    counting = false;
    expect(result.errors).toBeUndefined();
    return { count: statements.length, statements: [...statements], jobs: result.data!.jobs.edges.map((edge) => edge.node) };
  }

  it('costs the same number of queries for 5 jobs as for 50, with everything loaded', async () => {
    await countFor(5); // warm-up: the first request of a process prepares things
    const five = await countFor(5);
    const fifty = await countFor(50);
    expect(five.jobs).toHaveLength(5);
    expect(fifty.jobs).toHaveLength(50);
    for (const job of fifty.jobs) {
      expect(job.lastRun.status).toBe('RUNNING');
      expect(job.lastSuccess).not.toBeNull();
      expect(job.targetUsers).toHaveLength(2);
      expect(job.runCounts.total).toBe(3);
    }
    expect(fifty.count, `5 jobs:\n${five.statements.join('\n')}\n\n50 jobs:\n${fifty.statements.join('\n')}`).toBe(five.count);
    // And that constant is small. Measured 15: the caller's identity (1), totalCount (1), jobs (1) with createdBy
    // (1); target users, target roles, last runs and run counts (4, side by side); and what this query asks of
    // those rows beyond their own columns, loaded once for the page by Pothos: the users' roles (3), the roles'
    // member counts (1), the last runs' rows with their job and startedBy (3).
    expect(fifty.count).toBeLessThanOrEqual(20);
  });

  it("reads a page's runs, users and roles in plain SQL exactly as Prisma reads them (values, types, order)", async () => {
    const { pool, prisma, mode } = api.app.database;
    // As the app makes it: prepared statements on PostgreSQL, plain ones on the embedded database.
    const summaries = new JobSummaries(pool, { prepare: mode === 'external' });
    const jobs = await prisma.job.findMany({
      include: {
        targetUsers: { include: { user: true }, orderBy: { user: { name: 'asc' } } },
        targetRoles: { include: { role: true }, orderBy: { role: { name: 'asc' } } },
        notifyUsers: { include: { user: true }, orderBy: { user: { name: 'asc' } } },
        notifyRoles: { include: { role: true }, orderBy: { role: { name: 'asc' } } },
      },
    });
    const ids = jobs.map((job) => job.id);
    const [targetUsers, targetRoles, notifyUsers, notifyRoles, latest] = await Promise.all([
      summaries.users(ids, 'targets'),
      summaries.roles(ids, 'targets'),
      summaries.users(ids, 'notified'),
      summaries.roles(ids, 'notified'),
      summaries.latestRuns(ids),
    ]);
    for (const job of jobs) {
      expect(targetUsers.get(job.id)).toEqual(job.targetUsers.map((link) => link.user));
      expect(targetRoles.get(job.id)).toEqual(job.targetRoles.map((link) => link.role));
      expect(notifyUsers.get(job.id)).toEqual(job.notifyUsers.map((link) => link.user));
      expect(notifyRoles.get(job.id)).toEqual(job.notifyRoles.map((link) => link.role));
      const runs = await prisma.run.findMany({ where: { jobId: job.id, parentRunId: null }, orderBy: { createdAt: 'desc' } });
      expect(latest.get(job.id)).toEqual({
        lastRun: runs[0],
        lastSuccess: runs.filter((run) => run.status === 'SUCCEEDED').sort((a, b) => b.startedAt!.getTime() - a.startedAt!.getTime())[0],
      });
    }
    expect(notifyRoles.get(ids[0]!)).toHaveLength(2);
    // Again, now that each statement is prepared on the connections it ran on: the same answers.
    expect(await summaries.latestRuns(ids)).toEqual(latest);
    expect(await summaries.roles(ids, 'notified')).toEqual(notifyRoles);
  });
});
