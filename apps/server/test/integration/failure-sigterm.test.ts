// SIGTERM during a run, as a rolling restart sends it: the worker stops taking work, lets the run finish
// (succeeded, its log complete), exits 0 — and a second worker running meanwhile never starts the same occurrence.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import {
  describeRuns,
  readRecords,
  runProblems,
  randomPointWithin,
  until,
  workerSuite,
} from '../support/processes.js';

const STEPS = 10;
const STEP_MS = 300;

const suite = workerSuite('sundial-sigterm-');


const stepLines = (attempt: number) => Array.from({ length: STEPS }, (_, index) => `attempt ${attempt} step ${index + 1}`);

describe('SIGTERM during a run', () => {
  it('lets the run finish — succeeded, its log complete — and exits 0', async () => {
    const file = path.join(suite.folder, 'single.txt');
    const { jobId, runId } = await suite.withServices(async (app) => {
      const job = await app.engine.jobs.create({
        name: 'long run',
        action: 'fixture.record',
        args: { file, steps: STEPS, stepMs: STEP_MS },
        // No retry may hide an attempt that did not finish.
        retries: 0,
      });
      const run = await app.engine.runs.start(job.id, { trigger: 'MANUAL' });
      return { jobId: job.id, runId: run.id };
    });

    const worker = suite.db.spawn('terminated');
    await worker.ready;
    await until('the run to start', () => readRecords(file).some((r) => r.phase === 'start'));
    await randomPointWithin(STEP_MS * 3);
    const exit = await worker.stop('SIGTERM');
    expect(exit, worker.output()).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('SIGTERM: shutting down');

    await suite.withServices(async (app) => {
      const prisma = app.database.prisma;
      const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect([run.status, run.attempt], await describeRuns(prisma, jobId)).toEqual(['SUCCEEDED', 1]);
      const lines = await prisma.runLogLine.findMany({ where: { runId }, orderBy: { sequence: 'asc' } });
      expect(lines.map((line) => [line.sequence, line.message])).toEqual(stepLines(1).map((message, index) => [index + 1, message]));
      expect(readRecords(file)).toEqual([
        { phase: 'start', runId, attempt: 1, pid: worker.pid },
        { phase: 'end', runId, attempt: 1, pid: worker.pid },
      ]);
      expect(await runProblems(prisma, [jobId], readRecords(file))).toEqual([]);
    });
  }, 600_000);

  describe.runIf(usingRealPostgres)('with a second worker on the same PostgreSQL (not in embedded mode: PGlite is single-process)', () => {
    it('the occurrence running on the stopped worker finishes there; the other worker never starts it and keeps the schedule', async () => {
      const file = path.join(suite.folder, 'rolling.txt');
      const job = await suite.api!.engine.jobs.create({
        name: 'every second, longer than a second',
        action: 'fixture.record',
        args: { file, steps: STEPS, stepMs: STEP_MS },
        schedule: { scheduleKind: 'CRON', cron: '* * * * * *' },
        retries: 2,
        retryBackoffMs: 0,
      });
      const prisma = suite.api!.database.prisma;
      const workers = [suite.db.spawn('one'), suite.db.spawn('two')];
      await Promise.all(workers.map((worker) => worker.ready));

      // Whichever worker starts an occurrence first is the one a rolling restart stops now.
      const first = await until('an occurrence to start', () => readRecords(file).find((r) => r.phase === 'start'));
      const stopped = workers.find((worker) => worker.pid === first.pid)!;
      const other = workers.find((worker) => worker !== stopped)!;
      await randomPointWithin(STEP_MS * 3);
      const exit = await stopped.stop('SIGTERM');
      expect(exit, stopped.output()).toEqual({ code: 0, signal: null });

      const run = await prisma.run.findUniqueOrThrow({ where: { id: first.runId } });
      expect([run.status, run.attempt], await describeRuns(prisma, job.id)).toEqual(['SUCCEEDED', 1]);
      const lines = await prisma.runLogLine.findMany({ where: { runId: run.id }, orderBy: { sequence: 'asc' } });
      expect(lines.map((line) => line.message)).toEqual(stepLines(1));

      // The schedule goes on on the other worker: it starts a later occurrence, never this one.
      await until(
        'the other worker to start a later occurrence',
        () => readRecords(file).find((r) => r.phase === 'start' && r.pid === other.pid),
        30_000,
        () => describeRuns(prisma, job.id),
      );
      await suite.api!.engine.jobs.setEnabled(job.id, false);
      await until(
        'every run to end',
        async () => (await prisma.run.findMany({ where: { jobId: job.id } })).every((r) => isTerminal(r.status)),
        30_000,
        () => describeRuns(prisma, job.id),
      );
      const records = readRecords(file);
      expect(records.filter((r) => r.runId === run.id)).toEqual([
        { phase: 'start', runId: run.id, attempt: 1, pid: stopped.pid },
        { phase: 'end', runId: run.id, attempt: 1, pid: stopped.pid },
      ]);
      expect(await runProblems(prisma, [job.id], records)).toEqual([]);
      expect(await other.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }, 600_000);
  });
});
