// sundial.cleanup on a real database (PGlite in memory, or PostgreSQL with TEST_DATABASE_URL): which runs go,
// which stay (active ones, recent ones, a per-user parent whose child still runs), batches, progress, cancel;
// then in a real server, where the default install has the daily job and the action reaches the app database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionDefinition, ArgsSchema } from '@sundial/actions';
import { runActionForTest, type TestRunOptions } from '@sundial/actions/testing';
import { createCleanupAction, type CleanupOutput } from '@sundial/builtin-actions';
import { CLEANUP_JOB_KEY, ensureBuiltinJobs } from '../../src/actions/builtin-jobs.js';
import type { RunStatus } from '../../src/db/prisma.js';
import { createLogger } from '../../src/lib/logger.js';
import { createSundialData } from '../../src/services/sundial-data.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { openTestDatabase, testConfig } from '../support/database.js';
import { waitFor } from '../support/engine.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;
let db: TestDatabase;
let jobId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  jobId = (await db.prisma.job.create({ data: { name: 'cleanup fixture', action: 'examples.noop' } })).id;
});
afterAll(() => db?.drop());
beforeEach(async () => {
  await db.prisma.run.deleteMany({});
});

/** A run with `lines` log lines; `finishedDaysAgo` null for a run that has not finished. */
async function run(status: RunStatus, finishedDaysAgo: number | null, options: { lines?: number; parentRunId?: string; createdDaysAgo?: number } = {}) {
  const created = daysAgo(options.createdDaysAgo ?? (finishedDaysAgo ?? 0) + 0.01);
  const row = await db.prisma.run.create({
    data: {
      jobId,
      trigger: 'SCHEDULE',
      status,
      parentRunId: options.parentRunId ?? null,
      createdAt: created,
      scheduledFor: created,
      startedAt: created,
      finishedAt: finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo),
      logSequence: options.lines ?? 0,
    },
  });
  const lines = options.lines ?? 0;
  if (lines > 0) {
    await db.prisma.runLogLine.createMany({
      data: Array.from({ length: lines }, (_, index) => ({ runId: row.id, sequence: index + 1, message: `line ${index + 1}` })),
    });
  }
  return row.id;
}

const remaining = async () => new Set((await db.prisma.run.findMany({ select: { id: true } })).map((row) => row.id));
const linesOf = (runId: string) => db.prisma.runLogLine.count({ where: { runId } });

/** Runs the action as the test kit does, with the server's own data behind context.sundial (its runs). */
function runOnServer<A extends ArgsSchema, O>(definition: ActionDefinition<A, O>, options: TestRunOptions = {}) {
  return runActionForTest(definition, { sundial: createSundialData(db.pool), ...options });
}

function cleanup(options: { retentionDays?: number; batchSize?: number } = {}) {
  return createCleanupAction({
    retentionDays: options.retentionDays ?? 30,
    batchSize: options.batchSize ?? 1000,
    logLineBatchSize: 4,
    pauseMs: 0,
  });
}

describe('sundial.cleanup', () => {
  it('deletes finished runs older than the retention with their log lines; keeps recent and active ones', async () => {
    const old = await Promise.all(
      (['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED', 'SKIPPED', 'PARTIALLY_SUCCEEDED'] as const).map((status, index) =>
        run(status, 31 + index, { lines: index + 1 }),
      ),
    );
    const recent = await run('SUCCEEDED', 29, { lines: 3 });
    // Active runs created long ago: never deleted, nor their lines, however old.
    const queued = await run('QUEUED', null, { createdDaysAgo: 90, lines: 2 });
    const running = await run('RUNNING', null, { createdDaysAgo: 90, lines: 5 });
    const cancelling = await run('CANCELLING', null, { createdDaysAgo: 90, lines: 1 });

    const { output, logs, progress } = await runOnServer(cleanup({ batchSize: 3 }));
    expect(output).toMatchObject({ runsDeleted: 7, logLinesDeleted: 1 + 2 + 3 + 4 + 5 + 6 + 7 });

    const left = await remaining();
    for (const id of old) expect(left.has(id)).toBe(false);
    expect([...left].sort()).toEqual([recent, queued, running, cancelling].sort());
    expect(await linesOf(recent)).toBe(3);
    expect(await linesOf(running)).toBe(5);
    expect(await db.prisma.runLogLine.count()).toBe(3 + 2 + 5 + 1);

    // Three batches of at most 3 runs; progress starts at 0 of the total and ends at the total.
    expect(progress[0]).toEqual({ done: 0, total: 7 });
    expect(progress.at(-1)).toEqual({ done: 7, total: 7 });
    expect(progress.map((report) => report.done)).toEqual([0, 3, 6, 7]);
    expect(logs[0]?.message).toMatch(/^deleting 7 run\(s\) that finished before .* \(30 days ago\)$/);
    expect(logs.at(-1)?.message).toBe('deleted 7 run(s) and 28 log line(s)');
  });

  it('takes olderThanDays from args, else from the retention setting', async () => {
    const tenDays = await run('SUCCEEDED', 10, { lines: 2 });
    const twoDays = await run('FAILED', 2);
    expect((await runOnServer(cleanup({ retentionDays: 30 }))).output).toMatchObject({ runsDeleted: 0, logLinesDeleted: 0 });
    expect((await runOnServer(cleanup({ retentionDays: 30 }), { args: { olderThanDays: 7 } })).output).toMatchObject({ runsDeleted: 1, logLinesDeleted: 2 });
    expect([...(await remaining())]).toEqual([twoDays]);
    expect((await runOnServer(cleanup({ retentionDays: 1 }))).output).toMatchObject({ runsDeleted: 1 });
    expect(tenDays).toBeTruthy();
  });

  it('deletes a per-user parent with its children, but not while one of its children is still active', async () => {
    const parent = await run('PARTIALLY_SUCCEEDED', 40, { lines: 1 });
    const children = [
      await run('SUCCEEDED', 40, { parentRunId: parent, lines: 2 }),
      await run('FAILED', 40, { parentRunId: parent, lines: 3 }),
      await run('SUCCEEDED', 40, { parentRunId: parent }),
    ];
    const busyParent = await run('CANCELLED', 40);
    const doneChild = await run('CANCELLED', 40, { parentRunId: busyParent, lines: 1 });
    const stillActive = await run('CANCELLING', null, { parentRunId: busyParent, createdDaysAgo: 40 });

    const { output, progress } = await runOnServer(cleanup({ batchSize: 2 }));
    expect(output).toMatchObject({ runsDeleted: 4, logLinesDeleted: 6 });
    expect(progress.at(-1)).toEqual({ done: 4, total: 4 });
    const left = await remaining();
    for (const id of [parent, ...children]) expect(left.has(id)).toBe(false);
    expect([...left].sort()).toEqual([busyParent, doneChild, stillActive].sort());
    expect(await linesOf(doneChild)).toBe(1);
  });

  it('stops when the run is cancelled, between batches', async () => {
    for (let index = 0; index < 6; index += 1) await run('SUCCEEDED', 60);
    const controller = new AbortController();
    const reason = new Error('cancelled by an admin');
    const pending = runOnServer(cleanup({ batchSize: 2 }), {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort(reason);
      },
    });
    await expect(pending).rejects.toBe(reason);
    expect((await remaining()).size).toBe(4);
  });
});

describe('sundial.cleanup in a Sundial server', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ builtin: { cleanup: { schedule_daily: true, retention_days: 5 } } });
  });
  afterAll(() => api?.close());

  it('the default install has the daily "Clean up old runs" job, created once', async () => {
    const { prisma } = api.app.database;
    const job = await prisma.job.findUniqueOrThrow({ where: { key: CLEANUP_JOB_KEY } });
    expect(job).toMatchObject({ name: 'Clean up old runs', action: 'sundial.cleanup', enabled: true });
    expect(await prisma.jobSchedule.findMany({ where: { jobId: job.id } })).toMatchObject([{ scheduleKind: 'CRON', cron: '30 3 * * *', timezone: 'UTC' }]);
    expect(job.nextRunAt?.toISOString()).toMatch(/T03:30:00\.000Z$/);

    // A restart (here: the same step again) leaves it alone, including an admin's changes.
    await api.app.engine.jobs.update(job.id, { schedule: { scheduleKind: 'CRON', cron: '0 4 * * 0', timezone: 'UTC' } });
    await ensureBuiltinJobs({ config: testConfig({ builtin: { cleanup: { schedule_daily: true } } }), prisma, jobs: api.app.engine.jobs, actions: api.app.actions, logger: createLogger('error') });
    const jobs = await prisma.job.findMany({ where: { action: 'sundial.cleanup' } });
    expect(jobs).toHaveLength(1);
    expect((await prisma.jobSchedule.findFirstOrThrow({ where: { jobId: jobs[0]!.id } })).cron).toBe('0 4 * * 0');
  });

  it('runs against the app database with the configured retention', async () => {
    const { prisma } = api.app.database;
    const job = await prisma.job.findUniqueOrThrow({ where: { key: CLEANUP_JOB_KEY } });
    const oldRun = await prisma.run.create({
      data: { jobId: job.id, trigger: 'SCHEDULE', status: 'SUCCEEDED', createdAt: daysAgo(6), finishedAt: daysAgo(6), logSequence: 1, logLines: { create: { sequence: 1, message: 'old' } } },
    });
    const started = await api.app.engine.runs.start(job.id, { trigger: 'MANUAL' });
    const done = await waitFor(async () => {
      const found = await prisma.run.findUniqueOrThrow({ where: { id: started.id } });
      return found.status === 'SUCCEEDED' || found.status === 'FAILED' ? found : null;
    });
    expect(done.errorMessage).toBeNull();
    expect(done.output as unknown as CleanupOutput).toMatchObject({ runsDeleted: 1, logLinesDeleted: 1 });
    expect(await prisma.run.findUnique({ where: { id: oldRun.id } })).toBeNull();
    expect(done.progressDone).toBe(1);
  });
});
