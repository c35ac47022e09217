// What every part of the run engine shares (trigger.dev's run engine does the same: one class per concern, one
// resources object): the database, the actions, the live bus, the queue it hands runs to, and who this worker is.
import type { SundialData } from '@sundial/actions';
import type pg from 'pg';
import type { SqlClient } from '../db/sql/client.js';
import type { PrismaClient, Run } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from './actions.js';

/**
 * Hands a queued run to the workers, now or at a time (retry backoff): the run's row is the queue, the dispatcher
 * starts it here when it can and wakes the workers that take its queue. The scheduler implements it.
 */
export interface RunDispatcher {
  dispatch(run: Pick<Run, 'id' | 'attempt'> & Partial<Pick<Run, 'jobId' | 'queue'>>, options?: DispatchOptions): Promise<void>;
  /**
   * Wakes the workers that take these queues: queued runs of theirs may be waiting. This process's worker too,
   * unless `here` is false (the runs were placed on another worker).
   */
  wake(queues: readonly string[], options?: { here?: boolean }): void;
}

export interface DispatchOptions {
  /** Not before this time (retry backoff, overlap waits); now when absent. */
  at?: Date;
  priority?: number;
  /** A scheduled run whose firing was placed on this worker (engine/clock.ts): it starts here whenever a slot is free. */
  placed?: boolean;
}

export interface EngineResources {
  prisma: PrismaClient;
  /** The pool Prisma runs on, for the statements in plain SQL (db/sql). */
  pool: pg.Pool;
  /** The same pool with statements prepared once per connection: the hot statements of claim, start and finish. */
  sql: SqlClient;
  /** For connections outside the pool: the worker's liveness session (engine/workers.ts). */
  databaseUrl: string;
  actions: ActionCatalog;
  bus: RealtimeBus;
  dispatcher: RunDispatcher;
  logger: Logger;
  /** This process as a worker, written on the runs it claims. */
  workerId: string;
  /** What actions may do with the server's data (context.sundial; services/sundial-data.ts). */
  sundial: SundialData;
  /** Called when runs' endings wrote notification outbox rows: the delivery loop may look at once. */
  notificationsQueued(count: number): void;
}

/** Tells this process's subscribers (and, through the bus, other processes') that a run changed. */
export function publishRun(resources: Pick<EngineResources, 'bus'>, run: Pick<Run, 'id' | 'jobId' | 'parentRunId' | 'status'>): void {
  resources.bus.publishRunChange({ runId: run.id, jobId: run.jobId, parentRunId: run.parentRunId, status: run.status });
}
