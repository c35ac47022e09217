// The engine: domain services wired to Agenda. Every process builds it (API processes need the services and the
// timers' writes); only processes with jobs.enabled execute runs, fire occurrences and sweep lost runs.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Job as AgendaJob } from 'agenda';
import type { Config } from '../config/load.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from '../services/action-catalog.js';
import type { JobService, JobTimers } from '../services/jobs.js';
import type { RunService } from '../services/runs.js';
import { createSundialData } from '../services/sundial-data.js';
import type { Scheduler } from './agenda.js';
import { RUN_JOB, runEntries, type RunJobData, type SchedulerDispatcher } from './dispatcher.js';
import { RunExecutor } from './executor.js';
import { createOccurrenceHandler, OCCURRENCE_JOB, reconcileTimers, type OccurrenceJobData } from './occurrences.js';
import { Repairer } from './repair.js';
import { Sweeper } from './sweeper.js';

/** An occurrence entry's lock outlives a busy firing: below this, a slow database would expire a live lock. */
const OCCURRENCE_LOCK_FLOOR_MS = 5000;

export interface Engine {
  jobs: JobService;
  runs: RunService;
  scheduler: Scheduler;
  executor: RunExecutor;
  sweeper: Sweeper;
  repairer: Repairer;
  start(): Promise<void>;
  /** Stops taking work, lets running runs finish up to graceMs, unlocks the rest. */
  stop(graceMs: number): Promise<{ unfinished: number }>;
}

export interface EngineDeps {
  config: Config;
  database: Database;
  actions: ActionCatalog;
  bus: RealtimeBus;
  logger: Logger;
  /** The scheduler and its two ports, built before the services that use them (apps/server/src/core.ts). */
  scheduler: Scheduler;
  timers: JobTimers;
  dispatcher: SchedulerDispatcher;
  /** The app's services, built once (services/create.ts). */
  services: { jobs: JobService; runs: RunService };
}

export async function createEngine({ config, database, actions, bus, logger, scheduler, timers, dispatcher, services }: EngineDeps): Promise<Engine> {
  const prisma = database.prisma;
  const { agenda } = scheduler;
  const { jobs, runs } = services;
  const workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const executor = new RunExecutor({ prisma, pool: database.pool, actions, bus, dispatcher, logger, sundial: createSundialData(database.pool) }, { workerId, heartbeatMs: config.jobs.heartbeat_ms, concurrency: config.jobs.concurrency });
  const sweeper = new Sweeper(
    { prisma, dispatcher, bus, logger },
    { staleAfterMs: config.jobs.stale_after_ms, everyMs: Math.max(250, Math.min(config.jobs.heartbeat_ms, config.jobs.stale_after_ms / 2)) },
  );

  const repairer = new Repairer(
    { prisma, agenda, backend: scheduler.backend, timers, dispatcher, logger },
    { everyMs: Math.max(config.jobs.stale_after_ms, 5000), orphanAfterMs: Math.max(config.jobs.stale_after_ms, 5000) },
  );

  agenda.define(
    RUN_JOB,
    async (job: AgendaJob<RunJobData>) => {
      await executor.executeEntries(runEntries(job.attrs.data));
    },
    { concurrency: config.jobs.concurrency, lockLimit: 100, removeOnComplete: true },
  );
  agenda.define(
    OCCURRENCE_JOB,
    createOccurrenceHandler({ prisma, runs, dispatcher, bus, logger, misfireThresholdMs: config.scheduler.misfire_threshold_ms }) as (
      job: AgendaJob<OccurrenceJobData>,
    ) => Promise<void>,
    {
      concurrency: 10,
      removeOnComplete: true,
      // Agenda locks an entry a little before its slot; a worker killed meanwhile leaves the lock behind, and the
      // job's every later slot waits for it to expire (60 s by default). Firing is one short transaction that is
      // safe to repeat (row lock, unique occurrence key), so the lock lasts as long as a silent worker is trusted.
      lockLifetime: Math.max(config.jobs.stale_after_ms, OCCURRENCE_LOCK_FLOOR_MS),
    },
  );

  return {
    jobs,
    runs,
    scheduler,
    executor,
    sweeper,
    repairer,
    async start() {
      if (scheduler.executesJobs) {
        const { synced, removed } = await reconcileTimers(prisma, agenda, timers);
        logger.info(`scheduler: ${synced} scheduled job(s) have timers${removed ? `, ${removed} stale timer(s) removed` : ''}`);
        executor.start();
        dispatcher.runHere(executor);
        sweeper.start();
        repairer.start();
      }
      await scheduler.start();
    },
    async stop(graceMs) {
      executor.stopTakingWork();
      const [queued, here] = await Promise.all([scheduler.stop(graceMs), executor.drainHere(graceMs)]);
      executor.stop();
      await Promise.all([sweeper.stop(), repairer.stop()]);
      return { unfinished: queued.unfinished + here.unfinished };
    },
  };
}
