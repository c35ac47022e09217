// Queues that route work: strict priority within a queue (the claim takes the highest priority first, then the
// oldest), workers that take only the queues they are configured for, a run that says when no live worker takes
// its queue, and a queue's concurrency limit across workers. The two-worker cases run two engines on one
// PostgreSQL database (PGlite is single-process, so they run on PostgreSQL only).
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionRegistry } from '../../src/actions/registry.js';
import { createCore } from '../../src/core.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRealtimeBus } from '../../src/realtime/bus.js';
import type { Engine } from '../../src/scheduler/engine.js';
import { checkHealth } from '../../src/services/health.js';
import { QueueService } from '../../src/services/queues.js';
import { createTestDatabaseTarget, usingRealPostgres, type TestDatabaseTarget } from '../support/database.js';
import { FAST_ENGINE, waitFor } from '../support/engine.js';

/** Opens when a test says so; runs of test.gated wait for it. */
let gate: { open: () => void; opened: Promise<void> } = newGate();
function newGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
/** Executions of test.counted running right now, and the most seen at once. */
const counted = { now: 0, most: 0 };

const actions = [
  defineAction({ name: 'test.gated', description: 'Waits for the test to open the gate.', run: () => gate.opened.then(() => ({})) }),
  defineAction({ name: 'test.quick', description: 'Returns at once.', run: () => ({}) }),
  defineAction({
    name: 'test.counted',
    description: 'Counts executions running at once, for a while.',
    args: z.object({ ms: z.number().int() }),
    run: async ({ args }) => {
      counted.now += 1;
      counted.most = Math.max(counted.most, counted.now);
      await new Promise((resolve) => setTimeout(resolve, args.ms));
      counted.now -= 1;
      return {};
    },
  }),
];

interface Worker {
  engine: Engine;
  database: Database;
  close(): Promise<void>;
}

/** A worker (engine, executor, Agenda) on the target's database, with its own jobs.* settings. */
async function openWorker(target: TestDatabaseTarget, jobs: Record<string, unknown>): Promise<Worker> {
  const config = { ...target.config, jobs: { ...target.config.jobs, ...jobs } };
  const database = await openDatabase(config, { inMemory: target.inMemory });
  await database.migrate();
  const { engine } = await createCore({ config, database, actions: createActionRegistry(actions), bus: createRealtimeBus(), logger: createLogger('error') });
  await engine.start();
  return {
    engine,
    database,
    async close() {
      await engine.stop(2000);
      await database.close();
    },
  };
}

describe('strict priority within a queue', () => {
  let target: TestDatabaseTarget;
  let worker: Worker;
  beforeAll(async () => {
    target = await createTestDatabaseTarget(FAST_ENGINE);
    // One slot: each run starts when the one before it ended, so the order of starts is the order of claims.
    worker = await openWorker(target, { concurrency: 1 });
  }, 300_000);
  afterAll(async () => {
    gate.open();
    await worker?.close();
    await target?.drop();
  });

  it('a priority-10 run starts before every priority-0 run still queued when it was queued (120 queued), equal priorities in order of creation', async () => {
    const { jobs, runs } = worker.engine;
    const prisma = worker.database.prisma;
    gate = newGate();
    const low = await jobs.create({ name: 'low', action: 'test.gated', priority: 0, overlapPolicy: 'ALLOW' });
    const high = await jobs.create({ name: 'high', action: 'test.gated', priority: 10, overlapPolicy: 'ALLOW' });
    for (let i = 0; i < 121; i += 1) await runs.start(low.id, { trigger: 'API' });
    // The worker's slot holds the first of them; the other 120 wait.
    await waitFor(async () => (await prisma.run.count({ where: { jobId: low.id, status: 'RUNNING' } })) === 1, 30_000, 'the first run to start');
    const urgent = await runs.start(high.id, { trigger: 'API' });
    const queuedThen = await prisma.run.findMany({ where: { jobId: low.id, status: 'QUEUED' }, select: { id: true } });
    expect(queuedThen).toHaveLength(120);
    gate.open();
    await waitFor(async () => (await prisma.run.count({ where: { status: 'SUCCEEDED' } })) === 122, 120_000, 'all 122 runs to end');

    const started = await prisma.run.findUniqueOrThrow({ where: { id: urgent.id } });
    const before = await prisma.run.count({
      where: { id: { in: queuedThen.map((run) => run.id) }, startedAt: { lt: started.startedAt! } },
    });
    expect(before, 'priority-0 runs queued at the time that started before the priority-10 run').toBe(0);
    expect(started.priority).toBe(10);
    // Equal priorities start in order of creation.
    const lows = await prisma.run.findMany({ where: { id: { in: queuedThen.map((run) => run.id) } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const starts = lows.map((run) => run.startedAt!.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  }, 180_000);
});

describe('a worker that takes some queues', () => {
  let target: TestDatabaseTarget;
  let worker: Worker;
  beforeAll(async () => {
    target = await createTestDatabaseTarget(FAST_ENGINE);
    worker = await openWorker(target, { queues: ['default', 'mail'] });
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await target?.drop();
  });

  it('leaves runs of other queues queued, and they say which queue waits for a worker (API and /healthz)', async () => {
    const { jobs, runs } = worker.engine;
    const prisma = worker.database.prisma;
    const queues = new QueueService({ prisma, pool: worker.database.pool, workerStaleAfterMs: 1500 });
    const mail = await jobs.create({ name: 'mail', action: 'test.quick', queue: 'mail' });
    const reports = await jobs.create({ name: 'reports', action: 'test.quick', queue: 'reports' });
    const sent = await runs.start(mail.id, { trigger: 'API' });
    const report = await runs.start(reports.id, { trigger: 'API' });
    await waitFor(async () => (await prisma.run.findUniqueOrThrow({ where: { id: sent.id } })).status === 'SUCCEEDED', 20_000, 'the mail run');
    // Several beats and polls later, the reports run is still queued.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const waiting = await prisma.run.findUniqueOrThrow({ where: { id: report.id } });
    expect(waiting.status).toBe('QUEUED');
    expect(waiting.queue).toBe('reports');
    expect(await queues.waitingReason(waiting)).toBe('waiting for a worker that takes queue reports');
    expect(await queues.waitingReason(await prisma.run.findUniqueOrThrow({ where: { id: sent.id } }))).toBeNull();
    const health = await checkHealth(worker.database, worker.engine.scheduler, queues);
    expect(health.queuesWithoutWorker).toEqual([{ queue: 'reports', waiting: 1 }]);
    const row = await prisma.worker.findFirstOrThrow();
    expect([row.allQueues, row.queues]).toEqual([false, ['default', 'mail']]);
  }, 60_000);
});

describe('a queue limited to one run at a time on a worker with four slots', () => {
  let target: TestDatabaseTarget;
  let worker: Worker;
  beforeAll(async () => {
    target = await createTestDatabaseTarget(FAST_ENGINE);
    worker = await openWorker(target, { concurrency: 4, queue_concurrency: { solo: 1 } });
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await target?.drop();
  });

  it('runs them one after the other while other queues use the other slots', async () => {
    const { jobs, runs } = worker.engine;
    const prisma = worker.database.prisma;
    counted.most = 0;
    const solo = await jobs.create({ name: 'solo', action: 'test.counted', args: { ms: 100 }, queue: 'solo', overlapPolicy: 'ALLOW' });
    const other = await jobs.create({ name: 'other', action: 'test.quick', overlapPolicy: 'ALLOW' });
    for (let i = 0; i < 6; i += 1) await runs.start(solo.id, { trigger: 'API' });
    for (let i = 0; i < 6; i += 1) await runs.start(other.id, { trigger: 'API' });
    await waitFor(async () => (await prisma.run.count({ where: { status: 'SUCCEEDED' } })) === 12, 60_000, 'the 12 runs to end');
    expect(counted.most).toBe(1);
  }, 90_000);
});

describe.runIf(usingRealPostgres)('two workers on one PostgreSQL (PostgreSQL only: PGlite is single-process)', () => {
  let target: TestDatabaseTarget;
  let workers: Worker[] = [];
  beforeAll(async () => {
    target = await createTestDatabaseTarget(FAST_ENGINE);
    const limits = { queue_concurrency: { limited: 2 }, concurrency: 6 };
    workers = [await openWorker(target, { ...limits, queues: ['default', 'limited'] }), await openWorker(target, limits)];
  }, 300_000);
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await target?.drop();
  });

  it('a queue limited to 2 never runs more than 2 at once across both workers, and both take part', async () => {
    const [one, two] = workers as [Worker, Worker];
    const prisma = one.database.prisma;
    counted.most = 0;
    const job = await one.engine.jobs.create({ name: 'limited', action: 'test.counted', args: { ms: 150 }, queue: 'limited', overlapPolicy: 'ALLOW' });
    const started = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? one : two).engine.runs.start(job.id, { trigger: 'API' })));
    await waitFor(async () => (await prisma.run.count({ where: { jobId: job.id, status: 'SUCCEEDED' } })) === started.length, 90_000, 'the 24 runs to end');
    expect(counted.most).toBe(2);
    const runs = await prisma.run.findMany({ where: { jobId: job.id }, select: { workerId: true, startedAt: true, finishedAt: true } });
    expect(new Set(runs.map((run) => run.workerId)).size).toBe(2);
    // No instant with three runs between claim and ending.
    for (const run of runs) {
      const overlapping = runs.filter((other) => other.startedAt! <= run.startedAt! && other.finishedAt! > run.startedAt!);
      expect(overlapping.length).toBeLessThanOrEqual(2);
    }
  }, 300_000);

  it('a run of a queue only the second worker takes runs there', async () => {
    const [one, two] = workers as [Worker, Worker];
    const job = await one.engine.jobs.create({ name: 'reports', action: 'test.quick', queue: 'reports' });
    const run = await one.engine.runs.start(job.id, { trigger: 'API' });
    const ended = await waitFor(async () => {
      const current = await one.database.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
      return current.status === 'SUCCEEDED' ? current : null;
    }, 30_000, 'the reports run');
    const secondWorker = await two.database.prisma.worker.findFirstOrThrow({ where: { allQueues: true } });
    expect(ended.workerId).toBe(secondWorker.id);
  }, 60_000);
});
