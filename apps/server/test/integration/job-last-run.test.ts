// The jobs list's "latest run" filter and order read the job row's copy of its latest top-level run, kept by
// triggers on runs (migration 20261207060000_job_last_run). Through the real server: the copy follows a new run,
// every status change of the latest run and none of an older one, a per-user run's children, and deletions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/db/prisma.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const JOBS = /* GraphQL */ `query Jobs($filter: JobFilter, $orderBy: JobOrder) {
  jobs(first: 100, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id lastRun { id status } } } }
}`;
type Jobs = { jobs: { totalCount: number; edges: { node: { id: string; lastRun: { id: string; status: RunStatus } | null } }[] } };

async function jobsWhoseLastRunIs(...statuses: RunStatus[]): Promise<string[]> {
  const result = await api.gql<Jobs>(JOBS, { filter: { lastRunStatus: statuses } });
  expect(result.errors).toBeUndefined();
  return result.data!.jobs.edges.map((edge) => edge.node.id);
}

async function runToTheEnd(jobId: string): Promise<string> {
  const run = await api.app.engine.runs.start(jobId, { trigger: 'API' });
  await waitFor(async () => (await api.app.database.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status === 'SUCCEEDED', 20_000, 'the run to succeed');
  return run.id;
}

describe("jobs filtered and ordered by their latest run", () => {
  it('follows new runs, the latest run status changes and deletions, and nothing else', async () => {
    const prisma = api.app.database.prisma;
    const first = await api.app.engine.jobs.create({ name: 'last run: first', action: 'examples.noop', args: {} });
    const second = await api.app.engine.jobs.create({ name: 'last run: second', action: 'examples.noop', args: {} });
    // Never run: matched by no status, and last when ordered by last run (either way).
    expect(await jobsWhoseLastRunIs('SUCCEEDED', 'FAILED', 'QUEUED', 'RUNNING')).not.toContain(first.id);

    const older = await runToTheEnd(first.id);
    expect(await jobsWhoseLastRunIs('SUCCEEDED')).toContain(first.id);
    await prisma.run.update({ where: { id: older }, data: { status: 'FAILED' } });
    expect(await jobsWhoseLastRunIs('SUCCEEDED')).not.toContain(first.id);
    expect(await jobsWhoseLastRunIs('FAILED')).toContain(first.id);

    const newer = await runToTheEnd(first.id);
    expect(await jobsWhoseLastRunIs('SUCCEEDED')).toContain(first.id);
    // An older run's change is not the job's latest run's.
    await prisma.run.update({ where: { id: older }, data: { status: 'CANCELLED' } });
    expect(await jobsWhoseLastRunIs('CANCELLED')).not.toContain(first.id);
    // What the list shows as the latest run is what it filters by.
    const listed = (await api.gql<Jobs>(JOBS, { filter: { lastRunStatus: ['SUCCEEDED'] } })).data!.jobs.edges.find((edge) => edge.node.id === first.id);
    expect(listed?.node.lastRun).toEqual({ id: newer, status: 'SUCCEEDED' });

    // By last run, newest first: the second job ran last; jobs that never ran come after both.
    await runToTheEnd(second.id);
    const never = await api.app.engine.jobs.create({ name: 'last run: never', action: 'examples.noop', args: {} });
    const ordered = async (direction: 'ASC' | 'DESC') =>
      (await api.gql<Jobs>(JOBS, { orderBy: { field: 'LAST_RUN_AT', direction } })).data!.jobs.edges
        .map((edge) => edge.node.id)
        .filter((id) => [first.id, second.id, never.id].includes(id));
    expect(await ordered('DESC')).toEqual([second.id, first.id, never.id]);
    expect(await ordered('ASC')).toEqual([first.id, second.id, never.id]);

    // The latest run deleted: the one before it is the latest again; none left: no latest run.
    await prisma.run.delete({ where: { id: newer } });
    expect(await jobsWhoseLastRunIs('CANCELLED')).toContain(first.id);
    await prisma.run.deleteMany({ where: { jobId: first.id } });
    expect(await jobsWhoseLastRunIs('SUCCEEDED', 'FAILED', 'CANCELLED')).not.toContain(first.id);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: first.id }, select: { lastRunId: true, lastRunStatus: true, lastRunAt: true } })).toEqual({
      lastRunId: null,
      lastRunStatus: null,
      lastRunAt: null,
    });
  });
});
