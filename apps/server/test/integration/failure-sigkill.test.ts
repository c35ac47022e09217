// A worker killed with SIGKILL at a random point of a run: the next worker's sweeper sees the run's heartbeat
// stop, marks it interrupted and retries it (same run row, attempt 2) — manual runs and recurring occurrences
// alike (Agenda alone never re-runs an interrupted recurring occurrence, agenda#1749). Real child processes,
// random kill points, in a loop; after each kill every run ends terminal, logs have no gaps, no slot runs twice.
//
// Embedded mode: the killed worker is a child process; the worker that recovers is the app started in this
// process on the same data folder (PGlite is single-process, and this test must watch the run while it recovers).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobInput } from '../../src/services/jobs.js';
import { isTerminal } from '../../src/services/run-status.js';
import { usingRealPostgres } from '../support/database.js';
import {
  describeRuns,
  type InProcessApp,
  readRecords,
  runProblems,
  randomPointWithin,
  until,
  type WorkerProcess,
  workerSuite,
} from '../support/processes.js';

const ITERATIONS = 6;
const STEPS = 8;
const STEP_MS = 150;
const RUN_MS = STEPS * STEP_MS;

type Kind = 'manual' | 'interval' | 'cron';
const KINDS: Kind[] = ['manual', 'interval', 'cron'];

/** Embedded: the in-process worker that recovers, while it runs. */
let recovering: InProcessApp | null = null;
const suite = workerSuite('sundial-sigkill-', async () => {
  await recovering?.close(0);
  recovering = null;
});

function jobInput(kind: Kind, file: string, iteration: number): JobInput {
  const base = {
    name: `sigkill ${iteration} (${kind})`,
    action: 'fixture.record',
    args: { file, steps: STEPS, stepMs: STEP_MS },
    retries: 2,
    retryBackoffMs: 0,
  };
  if (kind === 'interval') return { ...base, schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 2, runLimit: 3 } };
  if (kind === 'cron') return { ...base, schedule: { scheduleKind: 'CRON', cron: '* * * * * *', runLimit: 3 } };
  return base;
}

describe(`SIGKILL mid-run (${ITERATIONS} random kill points; ${usingDescription()})`, () => {
  it(
    'the next worker marks the run interrupted and retries it as attempt 2 of the same run; nothing runs twice',
    async () => {
      for (let iteration = 1; iteration <= ITERATIONS; iteration += 1) {
        const kind = KINDS[(iteration - 1) % KINDS.length]!;
        const file = path.join(suite.folder, `records-${iteration}.txt`);
        const { jobId } = await suite.withServices(async (app) => {
          const job = await app.engine.jobs.create(jobInput(kind, file, iteration));
          if (kind === 'manual') await app.engine.runs.start(job.id, { trigger: 'MANUAL' });
          return { jobId: job.id };
        });

        const doomed = suite.db.spawn(`doomed-${iteration}`);
        await doomed.ready;
        // The run to kill: the first execution this worker starts.
        const started = await until(`worker ${doomed.name} to start a run`, () => readRecords(file).find((r) => r.phase === 'start'), 60_000);
        const delay = await randomPointWithin(RUN_MS * 1.2);
        await doomed.stop('SIGKILL');
        const endedBeforeKill = readRecords(file).some((r) => r.phase === 'end' && r.runId === started.runId);
        const where = `iteration ${iteration} (${kind}, killed ${delay} ms into run ${started.runId}${endedBeforeKill ? ', after its action ended' : ''})`;

        let worker: WorkerProcess | null = null;
        let observer: InProcessApp;
        if (suite.api) {
          worker = suite.db.spawn(`recovering-${iteration}`);
          await worker.ready;
          observer = suite.api;
        } else {
          recovering = await suite.db.open({ execute: true });
          observer = recovering;
        }
        const prisma = observer.database.prisma;
        await until(
          `${where}: every run of the job to end`,
          async () => {
            const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
            const runs = await prisma.run.findMany({ where: { jobId } });
            const scheduledDone = kind === 'manual' || (!job.enabled && runs.length === 3);
            return scheduledDone && runs.every((run) => isTerminal(run.status));
          },
          45_000,
          () => describeRuns(prisma, jobId),
        );

        const records = readRecords(file);
        expect(await runProblems(prisma, [jobId], records), where).toEqual([]);
        const killed = await prisma.run.findUniqueOrThrow({ where: { id: started.runId } });
        expect(killed.status, where).toBe('SUCCEEDED');
        if (!endedBeforeKill) {
          // The kill came while the action ran: the same run row ran again, visibly, as attempt 2.
          expect(killed.attempt, where).toBe(2);
          expect(killed.statusReason, where).toMatch(/^attempt 1 interrupted \(worker lost\); attempt 2 of 3/);
          const recoveredBy = worker?.pid ?? process.pid;
          expect(records.filter((r) => r.runId === killed.id), where).toEqual([
            { phase: 'start', runId: killed.id, attempt: 1, pid: doomed.pid },
            { phase: 'start', runId: killed.id, attempt: 2, pid: recoveredBy },
            { phase: 'end', runId: killed.id, attempt: 2, pid: recoveredBy },
          ]);
          // Attempt 2's log is complete and follows what attempt 1 stored, without a gap or an overwrite.
          const lines = await prisma.runLogLine.findMany({ where: { runId: killed.id }, orderBy: { sequence: 'asc' } });
          expect(lines.filter((line) => line.message.startsWith('attempt 2 ')).map((line) => line.message), where).toEqual(
            Array.from({ length: STEPS }, (_, index) => `attempt 2 step ${index + 1}`),
          );
        }

        if (worker) expect(await worker.stop('SIGTERM'), where).toEqual({ code: 0, signal: null });
        await recovering?.close(0);
        recovering = null;
      }
    },
    900_000,
  );

  it(
    "a killed worker's run is taken back once its connection closes, long before jobs.stale_after_ms",
    async () => {
      // Every worker here waits ten minutes for a heartbeat cutoff: only the liveness lock can end the run in time.
      const staleAfterMs = 600_000;
      const slow = { SUNDIAL_JOBS__STALE_AFTER_MS: String(staleAfterMs) };
      const file = path.join(suite.folder, 'records-lost.txt');
      const runId = await suite.withServices(async (app) => {
        const job = await app.engine.jobs.create({ name: 'lost worker', action: 'fixture.record', args: { file, steps: 40, stepMs: 250 }, retries: 1, retryBackoffMs: 0 });
        return (await app.engine.runs.start(job.id, { trigger: 'MANUAL' })).id;
      });
      const doomed = suite.db.spawn('doomed-lost', slow);
      await doomed.ready;
      await until(`worker ${doomed.name} to start the run`, () => readRecords(file).some((r) => r.phase === 'start'), 60_000);
      await doomed.stop('SIGKILL');

      let observer: InProcessApp;
      let worker: WorkerProcess | null = null;
      if (suite.api) {
        worker = suite.db.spawn('recovering-lost', slow);
        await worker.ready;
        observer = suite.api;
      } else {
        recovering = await suite.db.open({ execute: true, staleAfterMs });
        observer = recovering;
      }
      const prisma = observer.database.prisma;
      const run = await until(
        'the run to be retried and succeed',
        async () => {
          const found = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
          return found.status === 'SUCCEEDED' ? found : null;
        },
        staleAfterMs / 4,
        async () => describeRuns(prisma, (await prisma.run.findUniqueOrThrow({ where: { id: runId } })).jobId),
      );
      expect(run.attempt).toBe(2);
      expect(run.statusReason).toMatch(/^attempt 1 interrupted \(worker lost\); attempt 2 of 2/);
      expect(readRecords(file).map((r) => [r.phase, r.attempt, r.pid])).toEqual([
        ['start', 1, doomed.pid],
        ['start', 2, worker?.pid ?? process.pid],
        ['end', 2, worker?.pid ?? process.pid],
      ]);
      if (worker) expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    },
    300_000,
  );
});

function usingDescription(): string {
  return usingRealPostgres ? 'PostgreSQL: both workers are processes' : 'embedded: the recovering worker runs in-process';
}
