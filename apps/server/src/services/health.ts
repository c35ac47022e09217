import type { Database, DatabaseMode } from '../db/database.js';

/**
 * The scheduler as health reads it. Declared here, not imported, so services do not depend on the Agenda adapter;
 * app.ts hands scheduler/agenda.ts's Scheduler in, so the compiler refuses a scheduler state or backend health
 * does not know.
 */
export interface SchedulerStatus {
  backend: 'postgres' | 'mongodb';
  executesJobs: boolean;
  state(): 'starting' | 'running' | 'idle' | 'stopping' | 'stopped' | 'failed';
}

export interface Health {
  /** healthy: the database answers and the scheduler is in the state this process wants. */
  status: 'healthy' | 'unhealthy';
  database: { up: boolean; mode: DatabaseMode };
  scheduler: {
    up: boolean;
    state: ReturnType<SchedulerStatus['state']>;
    backend: SchedulerStatus['backend'];
    executesJobs: boolean;
  };
  /** Queues with queued runs that no live worker takes (jobs.queues), each with how many runs wait in it. */
  queuesWithoutWorker: Array<{ queue: string; waiting: number }>;
}

export async function checkHealth(
  database: Database,
  scheduler: SchedulerStatus,
  queues?: { withoutWorker(): Promise<Health['queuesWithoutWorker']> },
): Promise<Health> {
  const databaseUp = await database.ping();
  const queuesWithoutWorker = databaseUp && queues ? await queues.withoutWorker().catch(() => []) : [];
  const state = scheduler.state();
  const schedulerUp = scheduler.executesJobs ? state === 'running' : state === 'idle';
  return {
    status: databaseUp && schedulerUp ? 'healthy' : 'unhealthy',
    database: { up: databaseUp, mode: database.mode },
    scheduler: { up: schedulerUp, state, backend: scheduler.backend, executesJobs: scheduler.executesJobs },
    queuesWithoutWorker,
  };
}
