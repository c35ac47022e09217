import type { Database, DatabaseMode } from '../db/database.js';
import type { Scheduler, SchedulerBackendName, SchedulerState } from '../scheduler/agenda.js';

export interface Health {
  /** healthy: the database answers and the scheduler is in the state this process wants. */
  status: 'healthy' | 'unhealthy';
  database: { up: boolean; mode: DatabaseMode };
  scheduler: { up: boolean; state: SchedulerState; backend: SchedulerBackendName; executesJobs: boolean };
}

export async function checkHealth(database: Database, scheduler: Scheduler): Promise<Health> {
  const databaseUp = await database.ping();
  const state = scheduler.state();
  const schedulerUp = scheduler.executesJobs ? state === 'running' : state === 'idle';
  return {
    status: databaseUp && schedulerUp ? 'healthy' : 'unhealthy',
    database: { up: databaseUp, mode: database.mode },
    scheduler: { up: schedulerUp, state, backend: scheduler.backend, executesJobs: scheduler.executesJobs },
  };
}
