// A real engine on this test file's own database: Agenda, executor, sweeper, the actions given.
import type { ActionDefinition } from '@sundial/actions';
import { createActionRegistry } from '../../src/actions/registry.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import type { Run, RunStatus } from '../../src/db/prisma.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRealtimeBus, type RealtimeBus } from '../../src/realtime/bus.js';
import { createCore } from '../../src/core.js';
import type { Engine } from '../../src/scheduler/engine.js';
import { isTerminal } from '../../src/services/run-status.js';
import { createTestDatabaseTarget } from './database.js';
import { until } from './wait.js';
import { readDueTimers } from '../../src/db/sql/jobs/due.js';

export interface TestEngine {
  engine: Engine;
  database: Database;
  prisma: Database['prisma'];
  bus: RealtimeBus;
  /** Waits until the run reaches a status matching `until` (default: any terminal status). */
  waitForRun(id: string, until?: (run: Run) => boolean, timeoutMs?: number): Promise<Run>;
  close(): Promise<void>;
}

export const FAST_ENGINE = {
  jobs: { heartbeat_ms: 200, stale_after_ms: 1500 },
  scheduler: { process_every_ms: 100, misfire_threshold_ms: 1500 },
};

export async function startTestEngine(
  actions: ActionDefinition[],
  overrides: Record<string, unknown> = FAST_ENGINE,
): Promise<TestEngine> {
  const target = await createTestDatabaseTarget(overrides);
  const database = await openDatabase(target.config, { inMemory: target.inMemory });
  await database.migrate();
  const bus = createRealtimeBus();
  const { engine } = await createCore({
    config: target.config,
    database,
    actions: createActionRegistry(actions),
    bus,
    logger: createLogger('error'),
  });
  await engine.start();
  return {
    engine,
    database,
    prisma: database.prisma,
    bus,
    waitForRun: (id, until = (run) => isTerminal(run.status), timeoutMs = 20_000) =>
      waitFor(async () => {
        const run = await database.prisma.run.findUnique({ where: { id } });
        return run && until(run) ? run : null;
      }, timeoutMs, `run ${id}`),
    async close() {
      await engine.stop(2000);
      await database.close();
      await target.drop();
    },
  };
}

export function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  return until(what, probe, timeoutMs);
}

export const statusIs = (...statuses: RunStatus[]) => (run: Run) => statuses.includes(run.status);

/** A job's timer as the slot clock reads it from the jobs table (engine/clock.ts): its next slot, the end of its pause, or null. */
export async function clockTimer(pool: Database['pool'], jobId: string): Promise<Date | null> {
  const timers = await readDueTimers(pool, { until: new Date('9999-01-01'), limit: 1_000_000 });
  return timers.find((timer) => timer.jobId === jobId)?.at ?? null;
}
