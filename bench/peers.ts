// The job queues teams pick instead of Sundial, measured on the same PostgreSQL database, in the same run, the same
// way as raw Agenda in the throughput benchmark: N no-op jobs enqueued one call at a time by 8 concurrent producers
// while the worker runs, from the first enqueue until the peer's own table says every job is done.
//   graphile-worker 0.18, tuned as its maintainers advise for throughput: 20 concurrent jobs, poll every 100 ms,
//     a pool of 24; and the same with its batched local queue (100 jobs per fetch).
//   pg-boss 12, LISTEN/NOTIFY on, 100 jobs per fetch.
// None of them stores a run history, status changes or log lines: the comparison is Sundial's full work against
// their bare queue.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Logger as GraphileLogger, run as runGraphileWorker, type Runner } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import { enqueueAll, withDeadline, type BenchDatabase } from './setup.js';

export interface PeerMeasurement {
  name: string;
  perSecond: number;
  seconds: number;
  /** This process's CPU time per job (user + system); the database server's is not counted. */
  cpuMsPerJob: number;
}

const PRODUCERS = 8;
const DONE_POLL_MS = 20;

export async function measurePeers(db: BenchDatabase, count: number): Promise<PeerMeasurement[]> {
  if (db.mode !== 'postgres') return [];
  const url = db.config.database.url;
  if (!url) throw new Error('the peers need a PostgreSQL URL');
  return [
    await measureGraphileWorker(url, count, { name: 'graphile-worker', localQueue: false }),
    await measureGraphileWorker(url, count, { name: 'graphile-worker, local queue', localQueue: true }),
    await measurePgBoss(url, count),
  ];
}

async function measureGraphileWorker(
  connectionString: string,
  count: number,
  options: { name: string; localQueue: boolean },
): Promise<PeerMeasurement> {
  const schema = options.localQueue ? 'bench_graphile_worker_local' : 'bench_graphile_worker';
  const runner: Runner = await runGraphileWorker({
    noHandleSignals: true,
    taskList: { noop: async () => {} },
    preset: {
      worker: {
        connectionString,
        schema,
        concurrentJobs: 20,
        pollInterval: 100,
        maxPoolSize: 24,
        ...(options.localQueue ? { localQueue: { size: 100 } } : {}),
      },
    },
    logger: silentGraphileLogger(),
  });
  try {
    return await measure(options.name, count, connectionString, {
      enqueue: (i) => runner.addJob('noop', { i }),
      // Succeeded jobs are deleted from its table.
      remaining: `SELECT count(*)::int AS n FROM "${schema}"._private_jobs`,
    });
  } finally {
    await runner.stop();
  }
}

async function measurePgBoss(connectionString: string, count: number): Promise<PeerMeasurement> {
  const schema = 'bench_pgboss';
  const boss = new PgBoss({ connectionString, schema, useListenNotify: true, max: 24, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  try {
    await boss.createQueue('noop', { notify: true });
    await boss.work('noop', { batchSize: 100, localConcurrency: 2, pollingIntervalSeconds: 0.5 }, async () => {});
    return await measure('pg-boss', count, connectionString, {
      enqueue: (i) => boss.send('noop', { i }),
      remaining: `SELECT count(*)::int AS n FROM "${schema}".job WHERE name = 'noop' AND state <> 'completed'`,
    });
  } finally {
    await boss.stop({ graceful: true, timeout: 5000 });
  }
}

/** Enqueues `count` jobs and waits until the peer's table holds none unfinished. */
async function measure(
  name: string,
  count: number,
  connectionString: string,
  peer: { enqueue: (i: number) => Promise<unknown>; remaining: string },
): Promise<PeerMeasurement> {
  // One connection of our own to watch the table, outside the peer's pool.
  const watcher = new pg.Client({ connectionString });
  await watcher.connect();
  try {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await enqueueAll(count, PRODUCERS, peer.enqueue);
    await withDeadline(drained(watcher, peer.remaining), 600_000, `${count} ${name} jobs`);
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    return { name, perSecond: count / seconds, seconds, cpuMsPerJob: (used.user + used.system) / 1000 / count };
  } finally {
    await watcher.end();
  }
}

async function drained(client: pg.Client, sql: string): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ n: number }>(sql);
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, DONE_POLL_MS));
  }
}

function silentGraphileLogger() {
  // graphile-worker's Logger takes a factory of scoped log functions; the benchmark prints its own figures.
  return new GraphileLogger(() => () => {});
}
