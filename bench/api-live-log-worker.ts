// The live-log benchmark's worker process (forked by api-live-log.ts with tsx): a Sundial process that executes
// jobs on the benchmark's PostgreSQL database, beside an API process with jobs.enabled=false that the subscribers
// are connected to. The run's log lines reach that process through PostgreSQL NOTIFY. The parent says "go" (every
// subscriber listening) and "stop" over the IPC channel; this process says "started" once it takes work.
import { startApp } from '../apps/server/src/app.js';
import { configSchema } from '../apps/server/src/config/schema.js';
import { createLogger } from '../apps/server/src/lib/logger.js';
import { benchGate } from './api-actions/bench-log.js';

export interface WorkerProcessInput {
  databaseUrl: string;
  actionsDir: string;
}

export type WorkerProcessMessage = { type: 'started' } | { type: 'failed'; message: string };

const send = (message: WorkerProcessMessage) => process.send?.(message);

async function main(input: WorkerProcessInput): Promise<void> {
  let go!: () => void;
  benchGate.go = new Promise<void>((resolve) => (go = resolve));
  const config = configSchema.parse({
    server: { port: 0 },
    database: { url: input.databaseUrl, pool_size: 20 },
    jobs: { enabled: true, concurrency: 4 },
    actions: { dir: input.actionsDir },
    builtin: { cleanup: { schedule_daily: false } },
    log: { level: 'error' },
  });
  const app = await startApp(config, { logger: createLogger('error') });
  process.on('message', (message: string) => {
    if (message === 'go') go();
    if (message === 'stop') {
      go();
      void app.close(1000).then(() => process.exit(0));
    }
  });
  send({ type: 'started' });
}

main(JSON.parse(process.argv[2] ?? '{}') as WorkerProcessInput).catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
