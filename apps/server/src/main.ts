// `npm start`: read config, start everything, print the URL; shut down gracefully on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config/load.js';
import { DatabaseUnreachableError } from './db/database.js';
import { DataDirInUseError } from './db/embedded.js';
import { MigrationError } from './db/migrate.js';
import { ActionLoadError } from './actions/registry.js';
import { MetricsPortInUseError, startApp } from './app.js';
import { createLogger } from './lib/logger.js';
import { SchedulerUnreachableError } from './scheduler/agenda.js';
import { startTracing } from './telemetry/tracing.js';

// Failures whose message says all a user needs: printed without a stack trace.
const EXPECTED = [ConfigError, ActionLoadError, DatabaseUnreachableError, DataDirInUseError, MigrationError, MetricsPortInUseError, SchedulerUnreachableError];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.log.level);
  // Before anything opens a connection or serves a request, so every span has a provider to go to.
  const tracing = startTracing(logger);
  const app = await startApp(config, { logger });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    logger.info(`${signal}: shutting down (running jobs get ${config.server.shutdown_grace_seconds}s; ${signal} again to exit now)`);
    app.close().then(
      // The spans of the last runs go out before the process does.
      () => tracing.shutdown().then(() => process.exit(0)),
      (error: unknown) => {
        logger.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Only now: whoever waits for this line (a supervisor, a test) may signal at once, and must get a clean shutdown.
  logger.info(`Sundial is ready at ${app.url}`);
}

main().catch((error: unknown) => {
  const known = EXPECTED.some((kind) => error instanceof kind) || (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  const message =
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `server.port: ${(error as Error).message.replace(/^listen /, '')} (another process uses it; set SUNDIAL_SERVER__PORT)`
      : (error as Error).message;
  process.stderr.write(`sundial: cannot start: ${message}\n`);
  if (!known) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exit(1);
});
