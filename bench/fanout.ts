// Per-user fan-out: one per-user job targeting a role with N users, no-op action, from "run now" to the parent's
// terminal status, with the peak RSS growth meanwhile. Sundial writes children as rows in batches; raw Agenda's
// counterpart is the naive fan-out, one Agenda job per user, enqueued and run to completion (at 10,000 users; at
// 100,000 it would take minutes and prove nothing new). Peak RSS is this process's high-water mark (VmHWM, reset
// through /proc/self/clear_refs before the measurement), so a burst between two samples is not missed; the
// fan-out runs in this process, and on the embedded database so does PGlite.
import { performance } from 'node:perf_hooks';
import noop from '../actions/examples/noop.js';
import type { PrismaClient } from '../apps/server/src/db/prisma.js';
import { format, type Figure } from './report.js';
import { collectGarbage, enqueueAll, postgresCpuMs, startBenchEngine, startRawAgenda, trackPeakRss, withDeadline, type BenchDatabase } from './setup.js';

export interface FanoutOptions {
  /** The sizes to measure, one after another on the same database. */
  users: number[];
}

/** End-to-end seconds and peak RSS growth allowed per size (the issue's targets: 10,000 users, and T4's 100,000). */
const TARGETS: Record<number, { seconds: number; rssMb?: number }> = {
  10_000: { seconds: 10 },
  100_000: { seconds: 15, rssMb: 100 },
};
/** Sizes above this skip raw Agenda's one-job-per-user counterpart. */
const AGENDA_MAX_USERS = 10_000;
const INSERT_BATCH = 1000;
/** Producers enqueueing raw Agenda's per-user jobs (as in the throughput benchmark). */
const PRODUCERS = 8;

interface Measurement {
  seconds: number;
  peakRssMb: number;
  /** CPU time of this process (the engine; on the embedded database PGlite too) per 1,000 children. */
  cpuMsPerThousand?: number;
  /** CPU time of the local PostgreSQL server's processes per 1,000 children; null when it is not on this machine. */
  postgresCpuMsPerThousand?: number | null;
}

export async function benchFanout(db: BenchDatabase, { users: sizes }: FanoutOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const figures: Figure[] = [];
  const details: unknown[] = [];
  for (const users of sizes) {
    const { roleId, userIds } = await seedUsers(db.database.prisma, users);
    const agenda = users <= AGENDA_MAX_USERS ? await measureAgenda(db, userIds) : null;
    const sundial = await measureSundial(db, roleId, users);
    const target = TARGETS[users];
    const base = { benchmark: 'fan-out', mode: db.mode, better: 'lower' } as const;
    figures.push(
      {
        ...base,
        metric: `${users} users, end to end`,
        unit: 's',
        sundial: sundial.seconds,
        agenda: agenda?.seconds ?? null,
        ...(target ? { target: { kind: 'at most', value: target.seconds } as const } : {}),
        note: [
          agenda ? 'Agenda: one job per user' : null,
          `CPU per 1,000 users: engine ${format(sundial.cpuMsPerThousand ?? NaN)} ms` +
            (sundial.postgresCpuMsPerThousand != null ? `, PostgreSQL ${format(sundial.postgresCpuMsPerThousand)} ms` : ''),
        ]
          .filter(Boolean)
          .join('; '),
      },
      {
        ...base,
        metric: `${users} users, peak RSS growth`,
        unit: 'MB',
        sundial: sundial.peakRssMb,
        agenda: agenda?.peakRssMb ?? null,
        ...(target?.rssMb ? { target: { kind: 'at most', value: target.rssMb } as const } : {}),
        note: db.mode === 'embedded' ? 'includes the in-process PGlite' : undefined,
      },
    );
    details.push({ users, sundial, agenda });
  }
  return { figures, details };
}

/** A role with N active members, inserted with createMany in batches. */
async function seedUsers(prisma: PrismaClient, count: number): Promise<{ roleId: string; userIds: string[] }> {
  const role = await prisma.role.create({ data: { name: `bench-audience-${count}` } });
  const userIds: string[] = [];
  for (let start = 0; start < count; start += INSERT_BATCH) {
    const size = Math.min(INSERT_BATCH, count - start);
    const created = await prisma.user.createManyAndReturn({
      data: Array.from({ length: size }, (_, i) => ({
        email: `user${start + i}-of-${count}@bench.invalid`,
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
    const job = await bench.engine.jobs.create({ name: `fan-out-${users}`, action: noop.name, perUser: true, targetRoleIds: [roleId] });
    collectGarbage();
    const memory = trackPeakRss();
    const postgresCpu = postgresCpuMs();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const parent = await bench.engine.runs.start(job.id, { trigger: 'MANUAL' });
    const status = await withDeadline(bench.watcher.terminal(parent.id), 600_000, `per-user run over ${users} users`);
    const seconds = (performance.now() - t0) / 1000;
    const peakRssMb = memory.stop();
    const used = process.cpuUsage(cpu);
    const cpuMsPerThousand = ((used.user + used.system) / 1000 / users) * 1000;
    const postgresAfter = postgresCpuMs();
    const postgresCpuMsPerThousand = postgresCpu !== null && postgresAfter !== null ? ((postgresAfter - postgresCpu) / users) * 1000 : null;

    const finished = await db.database.prisma.run.findUniqueOrThrow({ where: { id: parent.id } });
    if (status !== 'SUCCEEDED' || finished.childrenTotal !== users || finished.childrenSucceeded !== users) {
      throw new Error(`expected ${users} succeeded children, the parent ended ${status} with ${finished.childrenSucceeded}/${finished.childrenTotal}`);
    }
    return { seconds, peakRssMb, cpuMsPerThousand, postgresCpuMsPerThousand };
  } finally {
    await bench.stop();
  }
}
