// Two worker processes share the work fairly and take over each other's: scheduled occurrences (every worker's slot
// clock holds every slot; each fires first those placed on it) run on both, each slot once; and a batch of runs one worker claimed in one statement
// is taken over by the other when the first is SIGKILLed — every run retried as attempt 2 there, none twice.
// PostgreSQL only: the embedded database (PGlite) is single-process, so two workers cannot share it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import { describeRuns, readRecords, runProblems, until, workerSuite } from '../support/processes.js';

const JOBS = 10;
const SLOTS = 5;
const INTERVAL_SECONDS = 2;
/**
 * The default poll (scheduler.process_every_ms), as deployed: each worker's clock reads the slots two polls ahead and
 * fires one placed on the other worker only if it is still due a poll after its time.
 */
const DEFAULT_POLL = { SUNDIAL_SCHEDULER__PROCESS_EVERY_MS: '1000' };
const BATCH = 8;

const suite = workerSuite('sundial-workers-share-');

describe.runIf(usingRealPostgres)('workers share the load (PostgreSQL only: PGlite is single-process)', () => {
  it(`${JOBS} jobs every ${INTERVAL_SECONDS} s: both workers run a fair part of the ${JOBS * SLOTS} occurrences, each slot once`, async () => {
    const api = suite.api!;
    const prisma = api.database.prisma;
    const workers = [suite.db.spawn('one', DEFAULT_POLL), suite.db.spawn('two', DEFAULT_POLL)];
    await Promise.all(workers.map((worker) => worker.ready));
    // Each worker knows the other (its beat reads the live workers) before the first slot fires.
    await until('both workers to be registered', async () => (await prisma.worker.count()) === 2);
    const file = path.join(suite.folder, 'scheduled.txt');
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index += 1) {
      const job = await api.engine.jobs.create({
        name: `share ${index}`,
        action: 'fixture.record',
        args: { file },
        overlapPolicy: 'ALLOW',
        // Every job on one grid (even seconds), as cron schedules are.
        schedule: { scheduleKind: 'CRON', cron: `*/${INTERVAL_SECONDS} * * * * *`, runLimit: SLOTS },
      });
      jobIds.push(job.id);
    }
    await until(
      `the ${JOBS * SLOTS} occurrences to end`,
      async () => {
        const runs = await prisma.run.findMany({ where: { jobId: { in: jobIds } }, select: { status: true } });
        return runs.length === JOBS * SLOTS && runs.every((run) => isTerminal(run.status));
      },
      120_000,
      async () => (await Promise.all(jobIds.map((id) => describeRuns(prisma, id)))).join('\n'),
    );
    const records = readRecords(file);
    expect(await runProblems(prisma, jobIds, records)).toEqual([]);
    const starts = records.filter((record) => record.phase === 'start');
    expect(starts).toHaveLength(JOBS * SLOTS);
    const byWorker = workers.map((worker) => starts.filter((record) => record.pid === worker.pid).length);
    // Placement is by a hash of the job and slot weighted by free slots: idle workers each get about half. A quarter
    // each is far outside chance for 50 runs, and far above the few runs a worker gets when whoever wakes first fires.
    for (const count of byWorker) expect(count, `runs per worker: ${byWorker.join(' / ')}`).toBeGreaterThanOrEqual((JOBS * SLOTS) / 4);
  }, 600_000);

  it(`a batch of ${BATCH} runs claimed in one statement by a worker that is SIGKILLed is retried on the other, none twice`, async () => {
    const api = suite.api!;
    const prisma = api.database.prisma;
    const one = suite.db.spawn('one', { SUNDIAL_JOBS__CONCURRENCY: String(BATCH) });
    await one.ready;
    const file = path.join(suite.folder, 'batch.txt');
    // Long enough that the whole batch is mid-run when the worker dies.
    const job = await api.engine.jobs.create({
      name: 'batch',
      action: 'fixture.record',
      args: { file, steps: 300, stepMs: 100 },
      retries: 2,
      retryBackoffMs: 0,
    });
    // Queued together from the API process: one queue entry, claimed by the worker in one statement.
    const runs = await Promise.all(Array.from({ length: BATCH }, () => api.engine.runs.start(job.id, { trigger: 'API' })));
    const claimed = await until(`worker one to run all ${BATCH} runs`, async () => {
      const rows = await prisma.run.findMany({ where: { jobId: job.id, status: 'RUNNING' } });
      const started = readRecords(file).filter((record) => record.phase === 'start' && record.pid === one.pid);
      return rows.length === BATCH && started.length === BATCH ? rows : null;
    }, 60_000, () => describeRuns(prisma, job.id));
    // One claim statement: one worker, one start time for the whole batch.
    expect(new Set(claimed.map((run) => run.workerId)).size).toBe(1);
    expect(new Set(claimed.map((run) => run.startedAt?.getTime())).size).toBe(1);

    const two = suite.db.spawn('two', { SUNDIAL_JOBS__CONCURRENCY: String(BATCH) });
    await two.ready;
    expect(await prisma.run.count({ where: { jobId: job.id, status: 'RUNNING', attempt: 1 } }), 'the batch still runs on worker one').toBe(BATCH);
    await one.stop('SIGKILL');
    await until(
      'every run of the batch to end after the takeover',
      async () => {
        const rows = await prisma.run.findMany({ where: { jobId: job.id } });
        return rows.length === BATCH && rows.every((run) => isTerminal(run.status)) ? rows : null;
      },
      180_000,
      () => describeRuns(prisma, job.id),
    );
    const after = await prisma.run.findMany({ where: { jobId: job.id } });
    expect(new Set(after.map((run) => run.id))).toEqual(new Set(runs.map((run) => run.id)));
    // Each run interrupted on worker one and retried once, on worker two.
    expect(after.map((run) => [run.status, run.attempt])).toEqual(after.map(() => ['SUCCEEDED', 2]));
    const records = readRecords(file);
    const retried = records.filter((record) => record.phase === 'start' && record.attempt === 2);
    expect(retried.map((record) => record.pid)).toEqual(retried.map(() => two.pid));
    expect(retried).toHaveLength(BATCH);
    expect(await runProblems(prisma, [job.id], records)).toEqual([]);
  }, 600_000);
});
