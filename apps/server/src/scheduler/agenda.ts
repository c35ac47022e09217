// Agenda holds Sundial's run timers: runs due later (retry backoff, overlap waits). The queue itself is the runs table
// (scheduler/dispatcher.ts) and schedules' slots are read from the jobs table (engine/clock.ts). Its backend follows
// scheduler.url: empty → the app's PostgreSQL (tables from our migrations), mongodb://… → Agenda's MongoDB backend.
import { Agenda, InMemoryNotificationChannel, type AgendaBackend, type NotificationChannel } from 'agenda';
import { PostgresBackend, PostgresNotificationChannel } from '@agendajs/postgres-backend';
import type { Config } from '../config/load.js';
import { describeUrl, type Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';

export type SchedulerBackendName = 'postgres' | 'mongodb';
export type SchedulerState = 'starting' | 'running' | 'idle' | 'stopping' | 'stopped' | 'failed';

export interface Scheduler {
  agenda: Agenda;
  backend: SchedulerBackendName;
  /** Whether this process executes jobs (jobs.enabled). */
  executesJobs: boolean;
  state(): SchedulerState;
  start(): Promise<void>;
  /** Stops taking work, waits up to graceMs for running jobs, then unlocks what is left. */
  stop(graceMs: number): Promise<{ unfinished: number }>;
}

export class SchedulerUnreachableError extends Error {
  override name = 'SchedulerUnreachableError';
}

/** How long start-up waits for a MongoDB queue before giving up with one line naming scheduler.url. */
const MONGODB_CONNECT_TIMEOUT_MS = 10_000;

export async function createScheduler(config: Config, database: Database, logger: Logger): Promise<Scheduler> {
  const backendName: SchedulerBackendName = config.scheduler.url ? 'mongodb' : 'postgres';
  const mongo = backendName === 'mongodb' ? await connectMongo(config.scheduler.url, logger) : null;
  const backend: AgendaBackend =
    mongo
      ? mongo.backend
      : new PostgresBackend({
          pool: database.pool,
          ensureSchema: false,
          // Wake-ups come from the channel below (our own, so it can stay quiet about job states).
          disableNotifications: true,
        });

  const agenda = new Agenda({
    backend,
    name: `sundial-${process.pid}`,
    processEvery: config.scheduler.process_every_ms,
    maxConcurrency: config.jobs.concurrency,
    defaultConcurrency: config.jobs.concurrency,
    // Agenda locks one job per round trip; beyond ~100 locked jobs nothing is gained (ENVIRONMENT.md).
    lockLimit: 100,
    // A lock outlives its worker by at most this long. Sundial's own claims make a re-run of a still-running
    // Agenda job harmless, so a short lifetime only speeds up recovery after a crash.
    defaultLockLifetime: 60_000,
    ...(backendName === 'postgres' ? { notificationChannel: wakeupChannel(database, logger) } : {}),
  });
  let state: SchedulerState = config.jobs.enabled ? 'starting' : 'idle';
  agenda.on('error', () => {
    state = 'failed';
  });

  return {
    agenda,
    backend: backendName,
    executesJobs: config.jobs.enabled,
    // A MongoDB queue lost after start-up shows as failed until its driver has reconnected.
    state: () => (state === 'running' && mongo && !mongo.reachable() ? 'failed' : state),
    async start() {
      await agenda.ready;
      if (config.jobs.enabled) {
        await agenda.start();
        state = 'running';
      }
    },
    async stop(graceMs) {
      state = 'stopping';
      let unfinished = 0;
      if (config.jobs.enabled) {
        const result = await agenda.drain({ timeout: graceMs, closeConnection: false });
        unfinished = result.running;
      }
      // Unlocks whatever is still locked so another worker can take it at once, and closes only the
      // connections the backend opened itself (MongoDB's; the PostgreSQL pool is the app's).
      await agenda.stop();
      await mongo?.close();
      state = 'stopped';
      return { unfinished };
    },
  };
}

/**
 * How a saved Agenda job wakes the processors at once instead of at the next poll. PostgreSQL: LISTEN/NOTIFY, so
 * every worker on the database hears it. The embedded database cannot deliver NOTIFY (pglite-socket), and only
 * this process works on it anyway: wake this process's own processor in-process.
 */
function wakeupChannel(database: Database, logger: Logger): NotificationChannel {
  if (database.mode === 'embedded') return new InMemoryNotificationChannel();
  const channel = new WakeupOnlyChannel({ reconnect: { enabled: true } });
  channel.setPool(database.pool);
  // The channel reports a lost LISTEN connection (a database restart, a terminated backend) as an 'error' event and
  // reconnects by itself; unheard, that event would end the process. Meanwhile the poll (processEvery) still runs.
  channel.on('error', (error: Error) => logger.warn(`scheduler: the wake-up channel's connection failed (${error.message}); reconnecting`));
  return channel;
}

/**
 * Agenda's PostgreSQL channel also broadcasts every job's start, success and complete (three NOTIFYs per job) so
 * that other processes' Agenda instances can re-emit them as events. Sundial never listens to those: runs publish
 * their own changes on the realtime bus. On a busy worker they were one query in seven; this channel skips them.
 */
class WakeupOnlyChannel extends PostgresNotificationChannel {
  override async publishState(): Promise<void> {}
}

interface MongoQueue {
  backend: AgendaBackend;
  reachable(): boolean;
  close(): Promise<void>;
}

/**
 * Connects before Agenda is built: Agenda connects its backend in its constructor and leaves a failure unhandled, so
 * an unreachable MongoDB would end the process with the driver's stack trace instead of a line naming the setting.
 * The connection is Sundial's, so reachability can be followed for /healthz (the driver reconnects by itself).
 */
async function connectMongo(address: string, logger: Logger): Promise<MongoQueue> {
  // Loaded only when configured: most installs never need the MongoDB driver.
  const [{ MongoBackend }, { MongoClient }] = await Promise.all([import('@agendajs/mongo-backend'), import('mongodb')]);
  const client = new MongoClient(address, { serverSelectionTimeoutMS: MONGODB_CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    const reason = (error as Error).message.split('\n')[0];
    throw new SchedulerUnreachableError(`scheduler.url: cannot reach MongoDB at ${describeUrl(address)} (${reason})`);
  }
  let reachable = true;
  client.on('serverHeartbeatFailed', (event) => {
    if (reachable) logger.warn(`scheduler: MongoDB at ${describeUrl(address)} stopped answering (${event.failure.message}); reconnecting`);
    reachable = false;
  });
  client.on('serverHeartbeatSucceeded', () => {
    if (!reachable) logger.info(`scheduler: MongoDB at ${describeUrl(address)} answers again`);
    reachable = true;
  });
  return { backend: new MongoBackend({ mongo: client.db() }), reachable: () => reachable, close: () => client.close() };
}
