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
}

export async function checkHealth(database: Database, scheduler: SchedulerStatus): Promise<Health> {
  const databaseUp = await database.ping();
  const state = scheduler.state();
  const schedulerUp = scheduler.executesJobs ? state === 'running' : state === 'idle';
  return {
    status: databaseUp && schedulerUp ? 'healthy' : 'unhealthy',
    database: { up: databaseUp, mode: database.mode },
    scheduler: { up: schedulerUp, state, backend: scheduler.backend, executesJobs: scheduler.executesJobs },
  };
}
