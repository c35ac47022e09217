// Restarting the server loses no schedule, and slots that fell due while it was down follow the misfire policy:
// every-second jobs and ~10 s of downtime give one catch-up run marked late (never ten), or — with misfire policy
// SKIP — one skipped run that says why. Real worker processes, stopped with SIGTERM and started again.
import path from 'node:path';
import { setTimeout as downtime } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/db/prisma.js';
import type { JobInput } from '../../src/services/jobs.js';
import { isTerminal } from '../../src/services/run-status.js';
import {
  describeRuns,
  type InProcessApp,
  readRecords,
  runProblems,
  until,
  type WorkerProcess,
  workerSuite,
} from '../support/processes.js';

const DOWNTIME_MS = 10_000;
/**
 * Well above a slot's normal firing delay on a busy machine, well below the downtime. A running worker starved of
 * CPU for longer than this (a load average of 20 on two cores does it) makes a catch-up run of its own for a slot
 * after the restart: the policy at work, not the downtime's, so the checks below count only slots before it.
 */
const MISFIRE_THRESHOLD_MS = 4000;

const suite = workerSuite('sundial-restart-');

interface Subject {
  key: 'catchUpInterval' | 'catchUpCron' | 'skipInterval';
  input: (file: string) => JobInput;
  file: string;
  jobId?: string;
}

/**
 * The misfire policy alone decides here. With the default overlap policy (skip), a slot the stopping worker had
 * fired but not yet started stays queued across the restart and counts as still running, so the catch-up slot
 * would be skipped for overlap instead.
 */
const PARALLEL = { overlapPolicy: 'ALLOW' } as const;

const subjects: Subject[] = [
  {
    key: 'catchUpInterval',
    input: (file) => ({
      name: 'every second, catch up',
      action: 'fixture.record',
      args: { file },
      schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1 },
      ...PARALLEL,
    }),
    file: '',
  },
  {
    key: 'catchUpCron',
    input: (file) => ({
      name: 'cron every second, catch up',
      action: 'fixture.record',
      args: { file },
      schedule: { scheduleKind: 'CRON', cron: '* * * * * *' },
      ...PARALLEL,
    }),
    file: '',
  },
  {
    key: 'skipInterval',
    input: (file) => ({
      name: 'every second, skip missed',
      action: 'fixture.record',
      args: { file },
      schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1 },
      misfirePolicy: 'SKIP',
    }),
    file: '',
  },
];

/** A token of a user who may read jobs and runs, for asking a worker process over GraphQL. */
async function readerToken(app: InProcessApp): Promise<string> {
  const prisma = app.database.prisma;
  const role = await prisma.role.create({ data: { name: 'restart-reader', permissions: ['JOBS_READ'] } });
  const user = await prisma.user.create({ data: { email: 'restart-reader@example.com', name: 'Restart reader', roles: { create: { roleId: role.id } } } });
  return (await app.auth.createApiToken(user.id, { name: 'restart test' })).secret;
}

interface RunSeen {
  late: boolean;
  status: string;
  scheduledFor: string;
  createdAt: string;
}

async function runsOverGraphQL(url: string, token: string, jobId: string): Promise<RunSeen[]> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'query ($id: ID!) { job(id: $id) { runs(first: 100) { edges { node { late status scheduledFor createdAt } } } } }',
      variables: { id: jobId },
    }),
  });
  const body = (await response.json()) as { data?: { job: { runs: { edges: { node: RunSeen }[] } } | null }; errors?: unknown };
  if (!body.data?.job) throw new Error(`job ${jobId} over GraphQL: ${JSON.stringify(body)}`);
  return body.data.job.runs.edges.map((edge) => edge.node);
}

const startsBy = (subject: Subject, pid: number) => readRecords(subject.file).filter((r) => r.phase === 'start' && r.pid === pid).length;

describe('restart with every-second jobs and ~10 s of downtime', () => {
  it('keeps every schedule; the missed slots become one late catch-up run, or one skipped run under misfire policy SKIP', async () => {
    const env = { SUNDIAL_SCHEDULER__MISFIRE_THRESHOLD_MS: String(MISFIRE_THRESHOLD_MS) };
    const token = await suite.withServices(async (app) => {
      for (const subject of subjects) {
        subject.file = path.join(suite.folder, `${subject.key}.txt`);
        subject.jobId = (await app.engine.jobs.create(subject.input(subject.file))).id;
      }
      return readerToken(app);
    });

    const before = suite.db.spawn('before', env);
    await before.ready;
    const explain = (worker: WorkerProcess) => async () =>
      `${subjects.map((s) => `${s.key}: ${startsBy(s, worker.pid)} run(s)`).join(', ')}\nworker output:\n${worker.output()}`;
    await until('each job to run twice before the restart', () => subjects.every((s) => startsBy(s, before.pid) >= 2), 60_000, explain(before));
    expect(await before.stop('SIGTERM'), before.output()).toEqual({ code: 0, signal: null });
    // The downtime is what this test is about: slots fall due while no worker is up.
    await downtime(DOWNTIME_MS);
    const upFrom = new Date();
    const after = suite.db.spawn('after', env);
    const url = await after.ready;
    // Start-up work comes first — slots the stopping worker had queued, then the catch-up — so wait, on the
    // restarted worker's own API (the embedded database serves only it meanwhile), for each job's catch-up run and
    // two on-time runs after it: the schedule is back on time, which the checks below expect.
    await until(
      'each job to catch up, then run on time twice',
      async () => {
        for (const subject of subjects) {
          const runs = await runsOverGraphQL(url, token, subject.jobId!);
          const late = runs.find((run) => run.late && new Date(run.createdAt) >= upFrom && new Date(run.scheduledFor) < upFrom);
          if (!late) return false;
          const onTime = runs.filter((run) => !run.late && run.status === 'SUCCEEDED' && Date.parse(run.scheduledFor) > Date.parse(late.scheduledFor));
          if (onTime.length < 2) return false;
        }
        return true;
      },
      90_000,
      explain(after),
    );

    // Let every run that started finish: pause the jobs, then read everything once the last run ended.
    const jobIds = subjects.map((s) => s.jobId!);
    const check = async (app: InProcessApp) => {
      const prisma = app.database.prisma;
      const runs = (jobId: string) => prisma.run.findMany({ where: { jobId }, orderBy: { scheduledFor: 'asc' } });
      for (const subject of subjects) {
        const all = await runs(subject.jobId!);
        const where = `${subject.key}:\n${await describeRuns(prisma, subject.jobId!)}`;
        // One run, made by the restarted worker, for all the slots missed while no worker was up: the first of them,
        // marked late. (The first worker may have caught up once too: the jobs were due before it had started. And a
        // first worker slowed down by a loaded machine may be a few slots behind when it stops, so the missed slots
        // start at the first one it had not reached, which can be before the stop.)
        const lateRuns = all.filter((run) => run.late && run.createdAt >= upFrom && run.scheduledFor < upFrom);
        expect(lateRuns, where).toHaveLength(1);
        const [late] = lateRuns as [Run];
        expect(all.filter((run) => run.scheduledFor >= late.scheduledFor && run.createdAt < upFrom), where).toEqual([]);
        expect(late.scheduledFor.getTime(), where).toBeLessThan(upFrom.getTime());
        expect(all.filter((run) => run.scheduledFor > late.scheduledFor && run.scheduledFor < upFrom), where).toEqual([]);
        if (subject.key === 'skipInterval') {
          expect(late.status, where).toBe('SKIPPED');
          expect(late.statusReason, where).toMatch(/^missed while no worker was up \((over )?\d+ occurrences\); misfire policy: skip$/);
        } else {
          expect(late.status, where).toBe('SUCCEEDED');
          expect(late.statusReason, where).toMatch(/^late: one catch-up run for (over )?\d+ occurrences missed while no worker was up$/);
        }
        const count = Number(/(\d+) occurrences/.exec(late.statusReason ?? '')![1]);
        expect(count, where).toBeGreaterThanOrEqual(DOWNTIME_MS / 1000 - 1);
        // The schedule went on after the catch-up, on time again.
        expect(all.filter((run) => run.scheduledFor > late.scheduledFor && run.status === 'SUCCEEDED' && !run.late).length, where).toBeGreaterThan(0);
      }
      expect(await runProblems(prisma, jobIds, subjects.flatMap((s) => readRecords(s.file)))).toEqual([]);
    };

    if (suite.api) {
      for (const jobId of jobIds) await suite.api.engine.jobs.setEnabled(jobId, false);
      await until('every run to end', async () => (await suite.api!.database.prisma.run.findMany({ where: { jobId: { in: jobIds } } })).every((r) => isTerminal(r.status)));
      expect(await after.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      await check(suite.api);
    } else {
      expect(await after.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      // Runs the stop left queued are finished by the app started in this process on the same data folder, once
      // the jobs are paused (a later start would otherwise find new missed slots).
      await suite.withServices(async (app) => {
        for (const jobId of jobIds) await app.engine.jobs.setEnabled(jobId, false);
      });
      const app = await suite.db.open({ execute: true });
      try {
        await until('every run to end', async () => (await app.database.prisma.run.findMany({ where: { jobId: { in: jobIds } } })).every((r) => isTerminal(r.status)));
        await check(app);
      } finally {
        await app.close(0);
      }
    }
  }, 600_000);
});

