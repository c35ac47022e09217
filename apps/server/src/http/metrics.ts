// /metrics in Prometheus' text format (prom-client), one registry per app. Where each number comes from:
// - runs started / finished, run duration, schedule lag: the realtime bus's run changes made by this process
//   (`onLocalRunChange`: each change is made by exactly one process, so summing over processes counts each once).
//   The change carries ids and the status only; the action, queue and times are read for a batch of changes in one
//   statement (db/sql/metrics/run-facts.ts) when the batch fills or before a scrape. Top-level runs only: a per-user
//   run's children are its parts, not runs of their own.
// - queued runs and the oldest due queued run's age per queue, notification deliveries: a query at scrape time
//   (db/sql/metrics), the same numbers from whichever process is scraped.
// - active runs and free slots: the executor's count of the runs it executes (per-user children included, so free
//   slots is a lower bound); log lines stored: the bus; database pool: pg's own counters; readiness: the loop watch.
// - GraphQL operations and live subscriptions: graphql/plugins/metrics.ts, registered on the same registry.
import crypto from 'node:crypto';
import http from 'node:http';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { notificationDeliveriesByStatus } from '../db/sql/metrics/notification-deliveries.js';
import { queuedRunsByQueue } from '../db/sql/metrics/queued-runs.js';
import { runFacts } from '../db/sql/metrics/run-facts.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import { isTerminal, TERMINAL_STATUSES } from '../services/run-status.js';
import type { SchedulerLoopWatch } from '../services/readiness.js';

/** Run ids whose facts are read in one statement; a busier process reads more often, never more at once. */
const FACTS_BATCH = 500;
/** Changes waiting to be read, at most: beyond it (the database is down) they are counted as dropped. */
const MAX_PENDING = 50_000;

export interface MetricsSources {
  pool: pg.Pool;
  bus: RealtimeBus;
  logger: Logger;
  /** The runs this process executes right now; null on an API-only process. */
  activeRuns: (() => number) | null;
  /** jobs.concurrency of a worker. */
  concurrency: number;
  loop: SchedulerLoopWatch;
}

export interface Metrics {
  registry: Registry;
  /** The text a scrape gets (reads what is due first). */
  render(): Promise<{ contentType: string; body: string }>;
  close(): void;
}

export function createMetrics({ pool, bus, logger, activeRuns, concurrency, loop }: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const runsStarted = new Counter({
    name: 'sundial_runs_started_total',
    help: 'Run attempts that started, by action and queue (a retry is another start).',
    labelNames: ['action', 'queue'] as const,
    registers: [registry],
  });
  const runsFinished = new Counter({
    name: 'sundial_runs_finished_total',
    help: 'Runs that reached a final status, by status, action and queue.',
    labelNames: ['status', 'action', 'queue'] as const,
    registers: [registry],
  });
  const runDuration = new Histogram({
    name: 'sundial_run_duration_seconds',
    help: 'From start to finish of runs that finished, by status, action and queue.',
    labelNames: ['status', 'action', 'queue'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const scheduleLag = new Histogram({
    name: 'sundial_schedule_lag_seconds',
    help: 'From the slot a run was due at (scheduled for) to its start, by action and queue.',
    labelNames: ['action', 'queue'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'sundial_metrics_run_changes_dropped_total',
    help: 'Run changes not counted because their facts could not be read in time (the database was unreachable).',
    registers: [registry],
  });
  const logLines = new Counter({
    name: 'sundial_run_log_lines_stored_total',
    help: 'Run log lines this process stored.',
    registers: [registry],
  });

  const queued = new Gauge({ name: 'sundial_runs_queued', help: 'Queued top-level runs, by queue.', labelNames: ['queue'] as const, registers: [registry] });
  const oldestQueued = new Gauge({
    name: 'sundial_runs_oldest_queued_age_seconds',
    help: 'How long the oldest queued run that is due has waited, by queue (0: none due).',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const deliveries = new Gauge({
    name: 'sundial_notification_deliveries',
    help: 'Notification deliveries in the outbox, by channel and status (pending, sent, failed).',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  let lastQueues = new Set<string>();
  let lastDeliveries = new Set<string>();
  const databaseUp = new Gauge({
    name: 'sundial_metrics_database_up',
    help: '1 when the scrape-time queries answered, 0 when they failed.',
    registers: [registry],
  });
  // Before the registry renders (its collect callbacks run side by side, so gauges set in one may be read already).
  const readScrapeTimeNumbers = async () => {
    try {
      const [queues, outbox] = await Promise.all([queuedRunsByQueue(pool), notificationDeliveriesByStatus(pool)]);
      // Queues that emptied report 0 rather than vanishing, until the process restarts.
      for (const queue of lastQueues) {
        queued.set({ queue }, 0);
        oldestQueued.set({ queue }, 0);
      }
      for (const row of queues) {
        queued.set({ queue: row.queue }, row.queued);
        oldestQueued.set({ queue: row.queue }, row.oldestDueAgeSeconds ?? 0);
      }
      lastQueues = new Set([...lastQueues, ...queues.map((row) => row.queue)]);
      for (const key of lastDeliveries) {
        const [channel, status] = key.split('\u0000') as [string, string];
        deliveries.set({ channel, status }, 0);
      }
      for (const row of outbox) deliveries.set({ channel: row.channel.toLowerCase(), status: row.status.toLowerCase() }, row.count);
      lastDeliveries = new Set([...lastDeliveries, ...outbox.map((row) => `${row.channel.toLowerCase()}\u0000${row.status.toLowerCase()}`)]);
      databaseUp.set(1);
    } catch (error) {
      logger.warn(`metrics: the scrape-time queries failed (${(error as Error).message})`);
      databaseUp.set(0);
    }
  };

  new Gauge({
    name: 'sundial_runs_active',
    help: 'Runs this process executes right now (per-user children included).',
    registers: [registry],
    collect() {
      this.set(activeRuns?.() ?? 0);
    },
  });
  new Gauge({
    name: 'sundial_worker_slots',
    help: 'Runs this process may execute at once (jobs.concurrency; 0 on an API-only process).',
    registers: [registry],
    collect() {
      this.set(activeRuns ? concurrency : 0);
    },
  });
  new Gauge({
    name: 'sundial_worker_free_slots',
    help: 'Slots free for more runs (a lower bound: per-user children count as taking one).',
    registers: [registry],
    collect() {
      this.set(activeRuns ? Math.max(0, concurrency - activeRuns()) : 0);
    },
  });
  new Gauge({
    name: 'sundial_scheduler_executes_jobs',
    help: '1 on a worker (jobs.enabled), 0 on an API-only process: sum it to count the workers up.',
    registers: [registry],
    collect() {
      this.set(activeRuns ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sundial_scheduler_loop_age_seconds',
    help: "Seconds since the scheduler's loop last ticked (workers; -1 before its first tick or on an API-only process).",
    registers: [registry],
    collect() {
      const last = loop.lastTickAt();
      this.set(activeRuns && last !== null ? (Date.now() - last) / 1000 : -1);
    },
  });
  new Gauge({
    name: 'sundial_db_pool_connections',
    help: "This process's database pool: connections in use, idle, and requests waiting for one.",
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });

  // Run changes: noted at once (ids only), their facts read in batches.
  const startedIds = new Set<string>();
  const finishedIds = new Set<string>();
  let reading: Promise<void> = Promise.resolve();
  const readPending = (): Promise<void> => {
    reading = reading.then(async () => {
      while (startedIds.size > 0 || finishedIds.size > 0) {
        const started = [...startedIds].slice(0, FACTS_BATCH);
        const finished = [...finishedIds].slice(0, FACTS_BATCH);
        const ids = [...new Set([...started, ...finished])];
        let rows;
        try {
          rows = await runFacts(pool, ids);
        } catch (error) {
          logger.warn(`metrics: run facts could not be read (${(error as Error).message}); retried at the next scrape`);
          return;
        }
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const id of started) {
          startedIds.delete(id);
          const row = byId.get(id);
          if (!row) continue;
          runsStarted.inc({ action: row.action, queue: row.queue });
          if (row.startedAt) scheduleLag.observe({ action: row.action, queue: row.queue }, Math.max(0, (row.startedAt.getTime() - row.scheduledFor.getTime()) / 1000));
        }
        for (const id of finished) {
          finishedIds.delete(id);
          const row = byId.get(id);
          if (!row || !(TERMINAL_STATUSES as readonly string[]).includes(row.status)) continue;
          const labels = { status: row.status.toLowerCase(), action: row.action, queue: row.queue };
          runsFinished.inc(labels);
          if (row.startedAt && row.finishedAt) runDuration.observe(labels, Math.max(0, (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000));
        }
      }
    });
    return reading;
  };
  const note = (ids: Set<string>, runId: string) => {
    if (startedIds.size + finishedIds.size >= MAX_PENDING) {
      dropped.inc();
      return;
    }
    ids.add(runId);
    if (startedIds.size + finishedIds.size >= FACTS_BATCH) void readPending();
  };
  const stopRunChanges = bus.onLocalRunChange((change) => {
    if (change.parentRunId !== null) return;
    if (change.status === 'RUNNING') note(startedIds, change.runId);
    else if (isTerminal(change.status)) note(finishedIds, change.runId);
  });
  const stopLogLines = bus.onLocalLogLinesStored((lines) => logLines.inc(lines));
  // Changes are also read every few seconds, so counters move between scrapes of a quiet process.
  const timer = setInterval(() => void readPending(), 5000);
  timer.unref();

  return {
    registry,
    async render() {
      await Promise.all([readPending(), readScrapeTimeNumbers()]);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    close() {
      clearInterval(timer);
      stopRunChanges();
      stopLogLines();
    },
  };
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function hasToken(req: http.IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

/**
 * Answers a scrape. With a token configured, only `Authorization: Bearer <token>` gets the metrics (401 otherwise);
 * without one (only on the separate metrics port) reaching the port is the permission.
 */
export function serveMetrics(metrics: Metrics, token: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (token && !hasToken(req, token)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' });
    res.end('The metrics need Authorization: Bearer <metrics.token>.\n');
    return;
  }
  metrics.render().then(
    ({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
    (error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`metrics failed: ${(error as Error).message}\n`);
    },
  );
}

/** The separate metrics port (metrics.port): /metrics (with the token when one is set) and /readyz, nothing else. */
export function createMetricsServer(
  metrics: Metrics,
  token: string,
  serveReadiness: (res: http.ServerResponse) => void,
): http.Server {
  return http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/metrics') serveMetrics(metrics, token, req, res);
    else if (pathname === '/readyz') serveReadiness(res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('This port serves /metrics and /readyz.\n');
    }
  });
}
