// Two worker processes on one PostgreSQL share the work without doubling it: each slot of a cron or interval
// schedule runs exactly once, and 1,000 queued runs are each executed exactly once, by both workers.
// PostgreSQL only: the embedded database (PGlite) is single-process, so two workers cannot share it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVENESS_CLASS } from '../../src/db/sql/workers/liveness.js';
import type { JobInput } from '../../src/services/jobs.js';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import {
  createWorkerDatabase,
  describeRuns,
  killWorkers,
  readRecords,
  runProblems,
  until,
  type InProcessApp,
  type WorkerDatabase,
  type WorkerProcess,
} from '../support/processes.js';

const SLOTS = 6;
const QUEUED_RUNS = 1000;

describe.runIf(usingRealPostgres)('two worker processes on one PostgreSQL (PostgreSQL only: PGlite is single-process)', () => {
  let db: WorkerDatabase;
  let api: InProcessApp;
  let folder: string;
  let workers: WorkerProcess[];

  beforeAll(async () => {
    db = await createWorkerDatabase();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-two-workers-'));
    api = await db.open({ execute: false });
    workers = [db.spawn('one'), db.spawn('two')];
    await Promise.all(workers.map((worker) => worker.ready));
  }, 600_000);
  afterAll(async () => {
    // Both workers serve both tests; they stop (or, after a failure, are killed) only at the end.
    await Promise.all((workers ?? []).map((worker) => worker.stop('SIGTERM')));
    await killWorkers();
    await api?.close(0);
    await db?.drop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it(`a cron and an interval schedule each run exactly once per slot (${SLOTS} slots)`, async () => {
    const prisma = api.database.prisma;
    const scheduled = async (name: string, schedule: JobInput['schedule']) => {
      const file = path.join(folder, `${name}.txt`);
      // Overlap "allow": no slot may be skipped, so each one must show up as exactly one execution.
      const job = await api.engine.jobs.create({ name, action: 'fixture.record', args: { file }, schedule, overlapPolicy: 'ALLOW' });
      return { job, file };
    };
    const subjects = [
      await scheduled('cron', { scheduleKind: 'CRON', cron: '* * * * * *', runLimit: SLOTS }),
      await scheduled('interval', { scheduleKind: 'INTERVAL', intervalSeconds: 1, runLimit: SLOTS }),
    ];

    for (const { job, file } of subjects) {
      await until(
        `${job.name}: its ${SLOTS} slots to run`,
        async () => {
          const current = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
          const runs = await prisma.run.findMany({ where: { jobId: job.id } });
          return !current.enabled && runs.length === SLOTS && runs.every((run) => isTerminal(run.status));
        },
        60_000,
        () => describeRuns(prisma, job.id),
      );
      const where = await describeRuns(prisma, job.id);
      const runs = await prisma.run.findMany({ where: { jobId: job.id }, orderBy: { scheduledFor: 'asc' } });
      expect(runs.map((run) => [run.status, run.attempt]), where).toEqual(runs.map(() => ['SUCCEEDED', 1]));
      // Consecutive slots of a one-second schedule, none missing, none twice.
      const gaps = runs.slice(1).map((run, index) => run.scheduledFor.getTime() - runs[index]!.scheduledFor.getTime());
      expect(gaps, where).toEqual(gaps.map(() => 1000));
      const records = readRecords(file);
      expect(records.filter((r) => r.phase === 'start').map((r) => r.runId).sort(), where).toEqual(runs.map((run) => run.id).sort());
      expect(await runProblems(prisma, [job.id], records)).toEqual([]);
    }
  }, 600_000);

  it(`${QUEUED_RUNS} queued runs are each executed exactly once, by both workers`, async () => {
    const prisma = api.database.prisma;
    const file = path.join(folder, 'queued.txt');
    const job = await api.engine.jobs.create({ name: 'queued', action: 'fixture.record', args: { file }, retries: 0 });
    const ids: string[] = [];
    // Run now, a thousand times, ten at a time: the workers start on them while the rest are still being queued.
    for (let batch = 0; batch < QUEUED_RUNS / 10; batch += 1) {
      const runs = await Promise.all(Array.from({ length: 10 }, () => api.engine.runs.start(job.id, { trigger: 'API' })));
      ids.push(...runs.map((run) => run.id));
    }
    await until(
      `all ${QUEUED_RUNS} runs to end`,
      async () => (await prisma.run.count({ where: { jobId: job.id, status: 'SUCCEEDED' } })) === QUEUED_RUNS,
      180_000,
      async () => JSON.stringify(await prisma.run.groupBy({ by: ['status'], where: { jobId: job.id }, _count: { _all: true } })),
    );

    const records = readRecords(file);
    const starts = records.filter((r) => r.phase === 'start');
    expect(starts).toHaveLength(QUEUED_RUNS);
    expect(new Set(starts.map((r) => r.runId)).size).toBe(QUEUED_RUNS);
    expect(new Set(starts.map((r) => r.runId))).toEqual(new Set(ids));
    expect(records.filter((r) => r.phase === 'end')).toHaveLength(QUEUED_RUNS);
    // Both took part (how much each did depends on the machine; that they shared is what matters).
    expect(new Set(starts.map((r) => r.pid))).toEqual(new Set(workers.map((worker) => worker.pid)));
    const runs = await prisma.run.findMany({ where: { jobId: job.id }, select: { attempt: true, workerId: true } });
    expect(runs.every((run) => run.attempt === 1)).toBe(true);
    expect(new Set(runs.map((run) => run.workerId)).size).toBe(2);
    expect(await runProblems(prisma, [job.id], records)).toEqual([]);
  }, 600_000);

  it("a worker whose liveness connection is cut keeps its run (it still beats) and takes its lock again", async () => {
    const prisma = api.database.prisma;
    const file = path.join(folder, 'cut.txt');
    const job = await api.engine.jobs.create({ name: 'cut', action: 'fixture.record', args: { file, steps: 20, stepMs: 150 }, retries: 1, retryBackoffMs: 0 });
    const { id } = await api.engine.runs.start(job.id, { trigger: 'API' });
    const { workerId } = await until('the run to start', async () => {
      const run = await prisma.run.findUniqueOrThrow({ where: { id } });
      return run.status === 'RUNNING' && run.workerId ? { workerId: run.workerId } : null;
    });
    // The backend holding the worker's liveness lock, as the sweepers look it up.
    const holder = async (): Promise<number | null> => {
      const { rows } = await api.database.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND objid = hashtext($2)::oid AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LIVENESS_CLASS, workerId],
      );
      return rows[0]?.pid ?? null;
    };
    const cut = await until('the worker to hold its liveness lock', holder);
    await api.database.pool.query('SELECT pg_terminate_backend($1)', [cut]);
    const again = await until('the worker to take its lock again on a new connection', async () => {
      const pid = await holder();
      return pid !== null && pid !== cut ? pid : null;
    });
    expect(again).not.toBe(cut);

    await until(`run ${id} to end`, async () => isTerminal((await prisma.run.findUniqueOrThrow({ where: { id } })).status), 60_000, () => describeRuns(prisma, job.id));
    const run = await prisma.run.findUniqueOrThrow({ where: { id } });
    expect([run.status, run.attempt, run.workerId]).toEqual(['SUCCEEDED', 1, workerId]);
    expect(readRecords(file).map((r) => r.phase)).toEqual(['start', 'end']);
  }, 120_000);
});
