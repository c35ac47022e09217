// Wiring for the benchmarks, without startApp: a fresh database (a new PostgreSQL database or an in-memory PGlite),
// Sundial's engine on it as apps/server/test/support/engine.ts builds it, and raw Agenda on the same database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { EventEmitter } from 'node:events';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { ActionDefinition } from '@sundial/actions';
import { Agenda, InMemoryNotificationChannel } from 'agenda';
import pg from 'pg';
import { createActionRegistry } from '../apps/server/src/actions/registry.js';
import { configSchema, type Config } from '../apps/server/src/config/schema.js';
import { openDatabase, type Database } from '../apps/server/src/db/database.js';
import type { RunStatus } from '../apps/server/src/db/prisma.js';
import { createLogger } from '../apps/server/src/lib/logger.js';
import { createRealtimeBus, type RealtimeBus, type RunChange } from '../apps/server/src/realtime/bus.js';
import { createCore } from '../apps/server/src/core.js';
import type { Engine } from '../apps/server/src/scheduler/engine.js';
import { isTerminal } from '../apps/server/src/services/run-status.js';
import type { DatabaseModeName } from './report.js';

/** The server benchmarks on PostgreSQL use: each benchmark creates a database there and drops it afterwards. */
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Both engines tuned alike, as the raw-Agenda figures were measured (ENVIRONMENT.md). */
export const TUNING = { concurrency: 50, lockLimit: 100, processEveryMs: 100 } as const;

export interface BenchDatabase {
  mode: DatabaseModeName;
  config: Config;
  database: Database;
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /**
   * Drops the statement-level triggers that keep jobs.last_run_* (migration 20261207060000_job_last_run) after
   * migrating, to measure what they cost (`npm run bench -- --without-last-run-triggers`). The jobs list's last-run
   * columns go stale; nothing the engine benchmarks measure reads them.
   */
  withoutLastRunTriggers?: boolean;
}

const LAST_RUN_TRIGGERS = ['runs_last_run_insert', 'runs_last_run_update', 'runs_last_run_delete'];

async function dropLastRunTriggers(database: Database): Promise<void> {
  for (const trigger of LAST_RUN_TRIGGERS) await database.pool.query(`DROP TRIGGER "${trigger}" ON "runs"`);
}

export async function openBenchDatabase(mode: DatabaseModeName, options: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  const overrides = {
    jobs: { concurrency: TUNING.concurrency },
    scheduler: { process_every_ms: TUNING.processEveryMs },
    log: { level: 'error' },
  };
  if (mode === 'embedded') {
    const config = configSchema.parse(overrides);
    const database = await openDatabase(config, { inMemory: true });
    await database.migrate();
    if (options.withoutLastRunTriggers) await dropLastRunTriggers(database);
    return { mode, config, database, close: () => database.close() };
  }
  const name = `sundial_bench_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const config = configSchema.parse({ ...overrides, database: { url: url.toString() } });
  try {
    const database = await openDatabase(config);
    await database.migrate();
    if (options.withoutLastRunTriggers) await dropLastRunTriggers(database);
    return {
      mode,
      config,
      database,
      async close() {
        await database.close();
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  } catch (error) {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

// --- Sundial ---

export interface BenchEngine {
  engine: Engine;
  bus: RealtimeBus;
  watcher: RunWatcher;
  stop(): Promise<void>;
}

export async function startBenchEngine(db: BenchDatabase, actions: ActionDefinition[]): Promise<BenchEngine> {
  const bus = createRealtimeBus();
  const watcher = new RunWatcher(bus);
  const { engine } = await createCore({
    config: db.config,
    database: db.database,
    actions: createActionRegistry(actions),
    bus,
    logger: createLogger('error'),
  });
  await engine.start();
  return {
    engine,
    bus,
    watcher,
    async stop() {
      await engine.stop(5000);
      watcher.close();
    },
  };
}

/**
 * Learns of terminal runs from the bus (each is published after it is stored), so waiting costs no queries that
 * would compete with the engine's own. Remembers runs that finished before anyone asked.
 */
export class RunWatcher {
  private readonly finished = new Map<string, RunStatus>();
  private readonly waiting = new Map<string, (status: RunStatus) => void>();
  private readonly unsubscribe: () => void;
  private listeners: Array<(change: RunChange) => void> = [];

  constructor(bus: RealtimeBus) {
    const subscription = bus.subscribe('runsFeed');
    this.unsubscribe = () => void subscription.return();
    void (async () => {
      for await (const change of subscription) {
        if (!isTerminal(change.status) || this.finished.has(change.runId)) continue;
        this.finished.set(change.runId, change.status);
        this.waiting.get(change.runId)?.(change.status);
        this.waiting.delete(change.runId);
        for (const listener of this.listeners) listener(change);
      }
    })();
  }

  /** How many distinct runs have reached a terminal status. */
  get finishedCount(): number {
    return this.finished.size;
  }

  terminal(runId: string): Promise<RunStatus> {
    const status = this.finished.get(runId);
    if (status) return Promise.resolve(status);
    return new Promise((resolve) => this.waiting.set(runId, resolve));
  }

  /** Resolves when `count` runs (in all) have finished. */
  finishedAtLeast(count: number): Promise<void> {
    if (this.finished.size >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = () => {
        if (this.finished.size < count) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve();
      };
      this.listeners.push(listener);
    });
  }

  close(): void {
    this.unsubscribe();
  }
}

// --- raw Agenda ---

/**
 * Raw Agenda 6 on the same database and pool as Sundial, with the same backend settings Sundial's scheduler uses
 * (tables from our migrations, `ensureSchema: false`; on PGlite, which cannot deliver NOTIFY, the in-process
 * wake-up) and the tuning. Its jobs keep Agenda's defaults otherwise (e.g. completed jobs stay).
 */
export async function startRawAgenda(
  db: BenchDatabase,
  define: (agenda: Agenda) => void,
): Promise<{ agenda: Agenda; stop(): Promise<void> }> {
  const embedded = db.database.mode === 'embedded';
  const backend = new PostgresBackend({ pool: db.database.pool, ensureSchema: false, disableNotifications: embedded });
  // A lost LISTEN connection (the benchmark's database dropped at the end) is an 'error' event: not a crash.
  if (backend.notificationChannel instanceof EventEmitter) backend.notificationChannel.on('error', () => {});
  const agenda = new Agenda({
    backend,
    name: `raw-agenda-${process.pid}`,
    processEvery: TUNING.processEveryMs,
    maxConcurrency: TUNING.concurrency,
    defaultConcurrency: TUNING.concurrency,
    lockLimit: TUNING.lockLimit,
    ...(embedded ? { notificationChannel: new InMemoryNotificationChannel() } : {}),
  });
  agenda.on('error', () => {});
  define(agenda);
  await agenda.ready;
  await agenda.start();
  return {
    agenda,
    async stop() {
      await agenda.drain({ timeout: 5000, closeConnection: false });
      await agenda.stop();
      // Leaves the queue empty for Sundial's turn on the same database.
      await db.database.pool.query('DELETE FROM "agenda_jobs"');
    },
  };
}

// --- helpers ---

/** Calls fn(i) for i in [0, count) with at most `producers` calls in flight: several clients enqueueing at once. */
export async function enqueueAll(count: number, producers: number, fn: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(producers, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

/** Rejects after ms with a message naming what did not finish, so a stuck benchmark fails instead of hanging. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A full garbage collection, so memory baselines do not carry the previous phase's garbage. */
export const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
})();

/**
 * This process's peak RSS above the level at start. On Linux the kernel's high-water mark (VmHWM in
 * /proc/self/status, reset to the current RSS by writing 5 to /proc/self/clear_refs) catches every burst, even one
 * while the event loop is busy; elsewhere RSS is sampled every `everyMs`.
 */
export function trackPeakRss(everyMs = 10): { stop(): number } {
  const base = process.memoryUsage.rss();
  const kernel = resetHighWaterMark();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss(), kernel ? (readHighWaterMark() ?? 0) : 0);
      return (peak - base) / (1024 * 1024);
    },
  };
}

/** Resets the kernel's peak-RSS mark to the current RSS; false where there is none to reset. */
function resetHighWaterMark(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return readHighWaterMark() !== null;
  } catch {
    return false;
  }
}

/** VmHWM in bytes, or null where /proc is not there. */
export function readHighWaterMark(pid: number | 'self' = 'self'): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) of the PostgreSQL server's processes on this machine, in ms, from /proc; null where
 * there is no /proc or no such process (a server elsewhere). Clock ticks are taken as 100 per second (Linux's USER_HZ).
 */
export function postgresCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!name.startsWith('postgres')) continue;
    // Fields after "(name) ": state is the first; utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? ticks * 10 : null;
}
