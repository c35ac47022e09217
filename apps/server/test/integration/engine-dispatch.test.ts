// Where a run starts: due now, in the process that queued it when that process has a free slot, otherwise claimed
// from the runs table by a worker as a slot frees up (no Agenda entry either way); due later (a retry's backoff),
// when its Agenda timer wakes the workers. And the plain-SQL rows of that path read as Prisma reads them.
import { defineAction } from '@sundial/actions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runRow } from '../../src/db/sql/rows/run.js';
import { RUN_JOB } from '../../src/scheduler/dispatcher.js';
import { usingRealPostgres } from '../support/database.js';
import { FAST_ENGINE, startTestEngine, statusIs, waitFor, type TestEngine } from '../support/engine.js';

/** Runs of test.gate wait until the test opens the gate. */
function closedGate() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
let gate = closedGate();

const actions = [
  defineAction({ name: 'test.gate', description: 'Waits for the test to open the gate.', run: () => gate.promise }),
  defineAction({ name: 'test.quick', description: 'Returns at once.', run: () => ({ ok: true }) }),
  defineAction({
    name: 'test.fails-once',
    description: 'Fails its first attempt.',
    run: ({ run }) => {
      if (run.attempt === 1) throw new Error('first attempt fails');
      return { attempt: run.attempt };
    },
  }),
];

const SLOTS = 2;
let t: TestEngine;
/** How many Agenda entries (run timers) this engine has started. */
let entriesStarted = 0;

beforeAll(async () => {
  t = await startTestEngine(actions, { ...FAST_ENGINE, jobs: { ...FAST_ENGINE.jobs, concurrency: SLOTS } });
  t.engine.scheduler.agenda.on(`start:${RUN_JOB}`, () => (entriesStarted += 1));
});
afterEach(() => gate.resolve());
afterAll(async () => {
  await t?.close();
});

const queuedEntries = async () => (await t.engine.scheduler.agenda.queryJobs({ name: RUN_JOB })).total;

describe('run now on a worker', () => {
  it('starts in this process at once when a slot is free, without a queue entry', async () => {
    const job = await t.engine.jobs.create({ name: 'quick', action: 'test.quick' });
    const before = entriesStarted;
    const runs = await Promise.all([1, 2].map(() => t.engine.runs.start(job.id, { trigger: 'MANUAL' })));
    for (const run of runs) expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
    expect(entriesStarted - before).toBe(0);
    expect(await queuedEntries()).toBe(0);
  });

  it('waits in the runs table when every slot is busy, without an Agenda entry, and starts once a slot frees up', async () => {
    gate = closedGate();
    const gated = await t.engine.jobs.create({ name: 'gated', action: 'test.gate', overlapPolicy: 'ALLOW' });
    const quick = await t.engine.jobs.create({ name: 'quick too', action: 'test.quick' });
    const busy = await Promise.all(Array.from({ length: SLOTS }, () => t.engine.runs.start(gated.id, { trigger: 'MANUAL' })));
    for (const run of busy) await t.waitForRun(run.id, statusIs('RUNNING'));
    const before = entriesStarted;

    const waiting = await Promise.all([1, 2, 3].map(() => t.engine.runs.start(quick.id, { trigger: 'MANUAL' })));
    expect(await queuedEntries()).toBe(0);
    for (const run of waiting) expect((await t.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('QUEUED');

    gate.resolve();
    for (const run of waiting) expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
    for (const run of busy) expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
    expect(entriesStarted - before).toBe(0);
  });

  it('starts a queued run that no wake-up announced (written by another version, or before a crash) at the next poll', async () => {
    const job = await t.engine.jobs.create({ name: 'unannounced', action: 'test.quick' });
    const run = await t.prisma.run.create({ data: { jobId: job.id, trigger: 'MANUAL', args: {} } });
    expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
  });

  it('gives a run due later (a retry after its backoff) one Agenda timer, which starts it when due', async () => {
    const job = await t.engine.jobs.create({ name: 'fails once', action: 'test.fails-once', retries: 1, retryBackoffMs: 400 });
    const before = entriesStarted;
    const run = await t.engine.runs.start(job.id, { trigger: 'MANUAL' });
    const waiting = await t.waitForRun(run.id, (row) => row.attempt === 2);
    expect(waiting.status).toBe('QUEUED');
    expect(waiting.notBefore).not.toBeNull();
    expect(await queuedEntries()).toBe(1);
    const done = await t.waitForRun(run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.startedAt!.getTime()).toBeGreaterThanOrEqual(waiting.notBefore!.getTime());
    expect(entriesStarted - before).toBe(1);
    await waitFor(async () => (await queuedEntries()) === 0, 10_000, 'the timer entry to be removed');
  });

  it('a run started here that its worker claims is read back as Prisma reads it', async () => {
    const job = await t.engine.jobs.create({ name: 'read back', action: 'test.quick' });
    const started = await t.engine.runs.start(job.id, { trigger: 'API', title: 'nightly', args: {}, since: new Date('2026-01-02T03:04:05.678Z') });
    const done = await t.waitForRun(started.id);
    expect(runRow.parse((await t.database.pool.query('SELECT * FROM "runs" WHERE id = $1', [done.id])).rows[0])).toEqual(done);
    // What run now returned is the inserted row, as Prisma would have returned it.
    expect(started).toEqual(await t.prisma.run.findUniqueOrThrow({ where: { id: started.id } }).then((row) => ({
      ...row, status: 'QUEUED', startedAt: null, heartbeatAt: null, workerId: null, finishedAt: null, output: null, logSequence: 0,
    })));
  });
});

describe.runIf(usingRealPostgres)('the wake-up channel (PostgreSQL only: PGlite has no LISTEN)', () => {
  const listeners = async () =>
    (await t.database.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`)).rows;

  it('survives losing its connection (a database restart, a terminated backend) and listens again', async () => {
    const before = await listeners();
    expect(before.length).toBeGreaterThan(0);
    for (const { pid } of before) await t.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    // Unheard, the channel's 'error' event would have ended this process.
    await waitFor(async () => {
      const now = await listeners();
      return now.length > 0 && now.every(({ pid }) => !before.some((old) => old.pid === pid));
    }, 20_000, 'the channel to listen again');
    const job = await t.engine.jobs.create({ name: 'after reconnect', action: 'test.quick' });
    const run = await t.engine.runs.start(job.id, { trigger: 'MANUAL' });
    expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
  });
});

describe('stopping a worker', () => {
  it('waits for the runs it started without a queue entry', async () => {
    const other = await startTestEngine(actions);
    try {
      gate = closedGate();
      const job = await other.engine.jobs.create({ name: 'gated', action: 'test.gate' });
      const run = await other.engine.runs.start(job.id, { trigger: 'MANUAL' });
      await other.waitForRun(run.id, statusIs('RUNNING'));
      const stopping = other.engine.stop(10_000);
      setTimeout(() => gate.resolve(), 300);
      expect(await stopping).toEqual({ unfinished: 0 });
      expect((await other.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('SUCCEEDED');
    } finally {
      gate.resolve();
      await other.close();
    }
  });
});
