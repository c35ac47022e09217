// The engine as a process runs it: the run engine (engine/) wired to the dispatcher and Agenda's run timers. Every
// process builds it (API processes need the services and the dispatcher); only processes with jobs.enabled execute
// runs, fire schedules' slots (engine/clock.ts) and sweep lost runs.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Job as AgendaJob } from 'agenda';
import type { Config } from '../config/load.js';
import type { Database } from '../db/database.js';
import type { ActionCatalog } from '../engine/actions.js';
import type { Executor } from '../engine/execution.js';
import { DEFAULT_QUEUE, RunEngine } from '../engine/index.js';
import type { Repairer } from '../engine/repair.js';
import type { Sweeper } from '../engine/sweeper.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { JobService } from '../services/jobs.js';
import type { RunService } from '../services/runs.js';
import { createSundialData } from '../services/sundial-data.js';
import type { Scheduler } from './agenda.js';
import { runEntries, runJobName, type RunJobData, type SchedulerDispatcher } from './dispatcher.js';

/**
 * The Agenda job that held one timer per scheduled job, before the slot clock read next slots from the jobs table.
 * Entries left by such an install are removed at start; nothing defines the name any more.
 */
const RETIRED_OCCURRENCE_JOB = 'sundial.occurrence';

export interface Engine {
  jobs: JobService;
  runs: RunService;
  scheduler: Scheduler;
  run: RunEngine;
  executor: Executor;
  sweeper: Sweeper;
  repairer: Repairer;
  start(): Promise<void>;
  /** Stops taking work, lets running runs finish up to graceMs, unlocks the rest. */
  stop(graceMs: number): Promise<{ unfinished: number }>;
}

export interface RunEngineDeps {
  config: Config;
  database: Database;
  actions: ActionCatalog;
  bus: RealtimeBus;
  logger: Logger;
  /** The scheduler and its dispatcher, built before the services that use them (apps/server/src/core.ts). */
  scheduler: Scheduler;
  dispatcher: SchedulerDispatcher;
}

/** The run engine on this scheduler's queue; built before the services (run now and cancel use it). */
export function createRunEngine({ config, database, actions, bus, logger, dispatcher }: RunEngineDeps): RunEngine {
  const workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  return new RunEngine(
    { prisma: database.prisma, pool: database.pool, sql: database.statements, databaseUrl: database.url, actions, bus, dispatcher, logger, workerId, sundial: createSundialData(database.pool) },
    {
      heartbeatMs: config.jobs.heartbeat_ms,
      concurrency: config.jobs.concurrency,
      staleAfterMs: config.jobs.stale_after_ms,
      misfireThresholdMs: config.scheduler.misfire_threshold_ms,
      pollMs: config.scheduler.process_every_ms,
      routing: { takes: config.jobs.queues.length > 0 ? config.jobs.queues : null, limits: config.jobs.queue_concurrency },
    },
  );
}

export interface EngineDeps extends RunEngineDeps {
  run: RunEngine;
  /** The app's services, built once (services/create.ts). */
  services: { jobs: JobService; runs: RunService };
}

export async function createEngine({ config, logger, scheduler, dispatcher, run, services }: EngineDeps): Promise<Engine> {
  const { agenda } = scheduler;
  // One Agenda job per queue (runJobName) for the run timers: this worker defines the processors of the queues it
  // takes, so a timer fires where its run can start. Taking every queue, it defines each queue it learns of (at each
  // beat). A timer wakes the workers of its queue; whichever has a free slot claims the run.
  const defined = new Set<string>();
  const takeQueue = (queue: string): void => {
    const name = runJobName(queue);
    if (defined.has(name)) return;
    defined.add(name);
    agenda.define(
      name,
      (job: AgendaJob<RunJobData>) => {
        dispatcher.wake([...new Set(runEntries(job.attrs.data).map((entry) => entry.queue ?? DEFAULT_QUEUE))]);
        return Promise.resolve();
      },
      { concurrency: config.jobs.concurrency, lockLimit: 100, removeOnComplete: true },
    );
  };
  const takes = run.executor.routing.takes;
  for (const queue of takes ?? [DEFAULT_QUEUE]) takeQueue(queue);
  if (takes === null) run.presence.onQueues((queues) => queues.forEach(takeQueue));

  return {
    jobs: services.jobs,
    runs: services.runs,
    scheduler,
    run,
    executor: run.executor,
    sweeper: run.sweeper,
    repairer: run.repairer,
    async start() {
      if (scheduler.executesJobs) {
        const retired = await agenda.cancel({ name: RETIRED_OCCURRENCE_JOB });
        if (retired > 0) logger.info(`scheduler: ${retired} timer entr${retired === 1 ? 'y' : 'ies'} of an earlier version removed (slots are read from the jobs table)`);
        await run.startWorking();
        dispatcher.runHere(run.executor);
      }
      await scheduler.start();
    },
    async stop(graceMs) {
      run.stopTakingWork();
      const [, executing] = await Promise.all([scheduler.stop(graceMs), run.executor.drain(graceMs)]);
      await run.stop();
      return { unfinished: executing.unfinished };
    },
  };
}
