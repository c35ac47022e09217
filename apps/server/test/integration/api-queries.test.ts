// No N+1: a page of jobs with their last run, last success, run counts, targets and roles costs the same number of
// SQL queries for 5 jobs as for 50. Counted at the pg pool every Prisma query goes through, on a process that does
// not execute jobs (so no scheduler polling is counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    api = await startTestApi({ actions: { dir: 'apps/server/test/fixtures/api-actions' }, jobs: { enabled: false } });
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
          scheduleKind: 'INTERVAL',
          intervalSeconds: 3600,
          nextRunAt: new Date(Date.now() + 3600_000),
          createdById: admin.id,
          targetUsers: { create: [{ userId: users[index % 20]!.id }, { userId: users[(index + 7) % 20]!.id }] },
          targetRoles: { create: [{ roleId: roles[index % 5]!.id }] },
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
    // And that constant is small. Measured 19: the caller's identity (3), totalCount (1), jobs with createdBy, target
    // users with their roles and target roles with member counts (8), last runs and last successes (2), run counts
    // (1), and the last runs' own job and startedBy (batched, 2) — plus room for the token's last-use write.
    expect(fifty.count).toBeLessThanOrEqual(20);
  });
});
