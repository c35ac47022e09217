// A worker process of the workers-share benchmark (forked by workers-share.ts with tsx): a Sundial process that
// executes jobs on the benchmark's PostgreSQL database beside the benchmark's own API process (jobs.enabled=false).
// It says "started" once it takes work and stops on "stop" over the IPC channel.
import { startApp } from '../apps/server/src/app.js';
import { configSchema } from '../apps/server/src/config/schema.js';
import { createLogger } from '../apps/server/src/lib/logger.js';

export interface ShareWorkerInput {
  databaseUrl: string;
  actionsDir: string;
  concurrency: number;
}

export type ShareWorkerMessage = { type: 'started' } | { type: 'failed'; message: string };

const send = (message: ShareWorkerMessage) => process.send?.(message);

async function main(input: ShareWorkerInput): Promise<void> {
  const config = configSchema.parse({
    server: { port: 0 },
    database: { url: input.databaseUrl, pool_size: 20 },
    jobs: { enabled: true, concurrency: input.concurrency },
    actions: { dir: input.actionsDir },
    builtin: { cleanup: { schedule_daily: false } },
    log: { level: 'error' },
  });
  const app = await startApp(config, { logger: createLogger('error') });
  process.on('message', (message: string) => {
    if (message === 'stop') void app.close(1000).then(() => process.exit(0));
  });
  send({ type: 'started' });
}

main(JSON.parse(process.argv[2] ?? '{}') as ShareWorkerInput).catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
