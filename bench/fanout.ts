// Per-user fan-out: one per-user job targeting a role with N users, no-op action, from "run now" to the parent's
// terminal status, with the peak RSS growth meanwhile. Sundial writes children as rows in batches; raw Agenda's
// counterpart is the naive fan-out, one Agenda job per user, enqueued and run to completion.
import { performance } from 'node:perf_hooks';
import noop from '../actions/examples/noop.js';
import type { PrismaClient } from '../apps/server/src/db/prisma.js';
import type { Figure } from './report.js';
import { collectGarbage, enqueueAll, startBenchEngine, startRawAgenda, trackPeakRss, withDeadline, type BenchDatabase } from './setup.js';

export interface FanoutOptions {
  users: number;
}

const TARGET_SECONDS = 10;
const INSERT_BATCH = 1000;
/** Producers enqueueing raw Agenda's per-user jobs (as in the throughput benchmark). */
const PRODUCERS = 8;

interface Measurement {
  seconds: number;
  peakRssMb: number;
}

export async function benchFanout(db: BenchDatabase, { users }: FanoutOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const { roleId, userIds } = await seedUsers(db.database.prisma, users);
  const agenda = await measureAgenda(db, userIds);
  const sundial = await measureSundial(db, roleId, users);
  const base = { benchmark: 'fan-out', mode: db.mode, better: 'lower' } as const;
  return {
    figures: [
      {
        ...base,
        metric: `${users} users, end to end`,
        unit: 's',
        sundial: sundial.seconds,
        agenda: agenda.seconds,
        target: { kind: 'at most', value: TARGET_SECONDS },
        note: 'Agenda: one job per user',
      },
      {
        ...base,
        metric: 'peak RSS growth',
        unit: 'MB',
        sundial: sundial.peakRssMb,
        agenda: agenda.peakRssMb,
        note: db.mode === 'embedded' ? 'includes the in-process PGlite' : undefined,
      },
    ],
    details: { users, sundial, agenda },
  };
}

/** A role with N active members, inserted with createMany in batches. */
async function seedUsers(prisma: PrismaClient, count: number): Promise<{ roleId: string; userIds: string[] }> {
  const role = await prisma.role.create({ data: { name: 'bench-audience' } });
  const userIds: string[] = [];
  for (let start = 0; start < count; start += INSERT_BATCH) {
    const size = Math.min(INSERT_BATCH, count - start);
    const created = await prisma.user.createManyAndReturn({
      data: Array.from({ length: size }, (_, i) => ({
        email: `user${start + i}@bench.invalid`,
        name: `User ${start + i}`,
        attributes: { locale: 'en' },
      })),
      select: { id: true },
    });
    await prisma.userRole.createMany({ data: created.map((user) => ({ userId: user.id, roleId: role.id })) });
    userIds.push(...created.map((user) => user.id));
  }
  return { roleId: role.id, userIds };
}

async function measureAgenda(db: BenchDatabase, userIds: string[]): Promise<Measurement> {
  let completed = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const raw = await startRawAgenda(db, (agenda) => {
    agenda.define('bench.user', async () => {});
  });
  raw.agenda.on('complete:bench.user', () => {
    completed += 1;
    if (completed === userIds.length) allDone();
  });
  try {
    collectGarbage();
    const memory = trackPeakRss();
    const t0 = performance.now();
    await enqueueAll(userIds.length, PRODUCERS, (i) => raw.agenda.now('bench.user', { userId: userIds[i] }));
    await withDeadline(done, 600_000, `${userIds.length} raw Agenda per-user jobs`);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, peakRssMb: memory.stop() };
  } finally {
    await raw.stop();
  }
}

async function measureSundial(db: BenchDatabase, roleId: string, users: number): Promise<Measurement> {
  const bench = await startBenchEngine(db, [noop]);
  try {
    const job = await bench.engine.jobs.create({ name: 'fan-out', action: noop.name, perUser: true, targetRoleIds: [roleId] });
    collectGarbage();
    const memory = trackPeakRss();
    const t0 = performance.now();
    const parent = await bench.engine.runs.start(job.id, { trigger: 'MANUAL' });
    const status = await withDeadline(bench.watcher.terminal(parent.id), 600_000, `per-user run over ${users} users`);
    const seconds = (performance.now() - t0) / 1000;
    const peakRssMb = memory.stop();

    const finished = await db.database.prisma.run.findUniqueOrThrow({ where: { id: parent.id } });
    if (status !== 'SUCCEEDED' || finished.childrenTotal !== users || finished.childrenSucceeded !== users) {
      throw new Error(`expected ${users} succeeded children, the parent ended ${status} with ${finished.childrenSucceeded}/${finished.childrenTotal}`);
    }
    return { seconds, peakRssMb };
  } finally {
    await bench.stop();
  }
}
