// A worker process of the schedule-lag benchmark (forked by schedule-lag.ts with tsx): a Sundial process with
// jobs.enabled on the benchmark's PostgreSQL database. It says "started" once it takes work, and stops on "stop"
// over the IPC channel; the benchmark may instead SIGKILL it. Asked "loop", it answers with its event loop's delay
// since it started or was last asked (a stalled loop delays every firing, claim and action of the worker).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startApp } from '../apps/server/src/app.js';
import { configSchema } from '../apps/server/src/config/schema.js';
import { createLogger } from '../apps/server/src/lib/logger.js';

export interface ScheduleWorkerInput {
  databaseUrl: string;
  actionsDir: string;
  /** Settings on top of the defaults (jobs.*, scheduler.*), the same for every worker of the benchmark. */
  overrides: { jobs: Record<string, unknown>; scheduler: Record<string, unknown> };
}

export type ScheduleWorkerMessage =
  | { type: 'started'; pid: number }
  | { type: 'failed'; message: string }
  | { type: 'loop'; p99Ms: number; maxMs: number };

const send = (message: ScheduleWorkerMessage) => process.send?.(message);

async function main(input: ScheduleWorkerInput): Promise<void> {
  const config = configSchema.parse({
    server: { port: 0 },
    database: { url: input.databaseUrl, pool_size: 20 },
    jobs: { enabled: true, ...input.overrides.jobs },
    scheduler: input.overrides.scheduler,
    actions: { dir: input.actionsDir },
    builtin: { cleanup: { schedule_daily: false } },
    log: { level: 'error' },
  });
  const app = await startApp(config, { logger: createLogger('error') });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (message: string) => {
    if (message === 'stop') void app.close(1000).then(() => process.exit(0));
    if (message === 'loop') {
      send({ type: 'loop', p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 });
      loop.reset();
    }
  });
  send({ type: 'started', pid: process.pid });
}

main(JSON.parse(process.argv[2] ?? '{}') as ScheduleWorkerInput).catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
