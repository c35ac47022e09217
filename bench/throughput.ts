// Throughput: N runs of a no-op action that writes 2 log lines each, from the first enqueue to the last terminal
// status. Raw Agenda's counterpart: N no-op jobs, enqueued and counted the same way. Both engines are tuned
// alike (concurrency 50, lockLimit 100, processEvery 100 ms) and enqueue from the same number of producers.
import { performance } from 'node:perf_hooks';
import noop from '../actions/examples/noop.js';
import type { Figure } from './report.js';
import { measurePeers } from './peers.js';
import { enqueueAll, startBenchEngine, startRawAgenda, withDeadline, type BenchDatabase } from './setup.js';

export interface ThroughputOptions {
  runs: number;
}

/** Clients enqueueing at once (as several API callers would); the same for both engines. */
const PRODUCERS = 8;
const LOG_LINES = 2;
const TARGET_SHARE_OF_AGENDA = 0.8;
const TARGET_SHARE_OF_GRAPHILE_WORKER = 1.0;

interface Measurement {
  perSecond: number;
  seconds: number;
  /** Time until the last enqueue returned. */
  enqueueSeconds: number;
  /** This process's CPU time per run (user + system); on the embedded database it includes PGlite's work. */
  cpuMsPerRun: number;
}

export async function benchThroughput(db: BenchDatabase, { runs }: ThroughputOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const agenda = await measureAgenda(db, runs);
  const sundial = await measureSundial(db, runs);
  const peers = await measurePeers(db, runs);
  return {
    figures: [
      {
        benchmark: 'throughput',
        mode: db.mode,
        metric: `${runs} runs, 2 log lines`,
        unit: 'runs/s',
        better: 'higher',
        sundial: sundial.perSecond,
        agenda: agenda.perSecond,
        target: { kind: 'share of agenda', value: TARGET_SHARE_OF_AGENDA },
        note: `Sundial ${sundial.seconds.toFixed(2)} s, ${sundial.cpuMsPerRun.toFixed(2)} ms CPU/run; Agenda ${agenda.seconds.toFixed(2)} s, ${agenda.cpuMsPerRun.toFixed(2)} ms CPU/job`,
      },
      ...(peers.length > 0
        ? [
            {
              benchmark: 'throughput',
              mode: db.mode,
              metric: `${runs} runs vs peers`,
              unit: 'runs/s',
              better: 'higher',
              sundial: sundial.perSecond,
              agenda: null,
              peers: peers.map((peer) => ({ name: peer.name, value: peer.perSecond })),
              // T1: Sundial's full semantics at least as fast as graphile-worker tuned, which does none of them.
              target: { kind: 'share of peer', peer: 'graphile-worker', value: TARGET_SHARE_OF_GRAPHILE_WORKER },
              note: peers.map((peer) => `${peer.name} ${peer.seconds.toFixed(2)} s, ${peer.cpuMsPerJob.toFixed(2)} ms CPU/job`).join('; '),
            } satisfies Figure,
          ]
        : []),
    ],
    details: { runs, producers: PRODUCERS, sundial, agenda, peers },
  };
}

async function measureAgenda(db: BenchDatabase, count: number): Promise<Measurement> {
  let completed = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const raw = await startRawAgenda(db, (agenda) => {
    agenda.define('bench.noop', async () => {});
  });
  raw.agenda.on('complete:bench.noop', () => {
    completed += 1;
    if (completed === count) allDone();
  });
  try {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await enqueueAll(count, PRODUCERS, (i) => raw.agenda.now('bench.noop', { i }));
    const enqueued = performance.now();
    await withDeadline(done, 600_000, `${count} raw Agenda jobs`);
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: count / seconds, seconds, enqueueSeconds: (enqueued - t0) / 1000, cpuMsPerRun: cpuMs(cpu) / count };
  } finally {
    await raw.stop();
  }
}

async function measureSundial(db: BenchDatabase, count: number): Promise<Measurement> {
  const bench = await startBenchEngine(db, [noop]);
  try {
    const job = await bench.engine.jobs.create({ name: 'throughput', action: noop.name, args: { logLines: LOG_LINES } });
    const done = bench.watcher.finishedAtLeast(count);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await enqueueAll(count, PRODUCERS, () => bench.engine.runs.start(job.id, { trigger: 'API' }));
    const enqueued = performance.now();
    await withDeadline(done, 600_000, `${count} Sundial runs`);
    const seconds = (performance.now() - t0) / 1000;
    const cpuMsPerRun = cpuMs(cpu) / count;

    // The figure counts only if the work was really done: every run succeeded and stored its lines.
    const prisma = db.database.prisma;
    const succeeded = await prisma.run.count({ where: { jobId: job.id, status: 'SUCCEEDED' } });
    const lines = await prisma.runLogLine.count();
    if (succeeded !== count || lines !== count * LOG_LINES) {
      throw new Error(`expected ${count} succeeded runs with ${count * LOG_LINES} log lines, found ${succeeded} and ${lines}`);
    }
    return { perSecond: count / seconds, seconds, enqueueSeconds: (enqueued - t0) / 1000, cpuMsPerRun };
  } finally {
    await bench.stop();
  }
}

/** CPU time of this process since `start`, in milliseconds. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
