// Composition root: config → database (migrate) → services and engine (once, core.ts) → HTTP, and the way back down.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createYoga } from 'graphql-yoga';
import { loadEnvironment, type Config, type ProcessEnvironment } from './config/load.js';
import { openDatabase, type Database } from './db/database.js';
import type { GraphQLContext } from './graphql/builder.js';
import { graphqlSecurityOptions, graphqlSecurityPlugins } from './graphql/plugins/index.js';
import { createRefusalRecorder, headersOf } from './graphql/plugins/refusal-audit.js';
import { schema } from './graphql/schema.js';
import { createMetrics, createMetricsServer, type Metrics } from './http/metrics.js';
import { createHttpServer, serveReadiness } from './http/server.js';
import { createGraphQLWebSocket } from './http/websocket.js';
import { useTracing } from './graphql/plugins/tracing.js';
import { useMetrics } from './graphql/plugins/metrics.js';
import { checkReadiness, loopStaleAfterMs, watchSchedulerLoop } from './services/readiness.js';
import type { Logger } from './lib/logger.js';
import path from 'node:path';
import { ensureBuiltinJobs } from './actions/builtin-jobs.js';
import { createActionHost } from './actions/host.js';
import { loadActions } from './actions/loader.js';
import type { ActionRegistry } from './actions/registry.js';
import type { RealtimeBus } from './realtime/bus.js';
import { createRealtime } from './realtime/create.js';
import type { Scheduler } from './scheduler/agenda.js';
import type { Engine } from './scheduler/engine.js';
import { createCore } from './core.js';
import type { Services } from './services/create.js';
import { applyDeclaredDefinitions } from './services/definitions/startup.js';
import { checkHealth } from './services/health.js';
import { NotificationService } from './services/notifications/service.js';
import { AuthService } from './services/auth/auth-service.js';
import { createContextFactory, useRequestRelease, useResponseCookies } from './graphql/request-context.js';
import { useSubscriptionGuard } from './graphql/subscription-guard.js';
import { useSharedSubscriptionEvents } from './graphql/plugins/shared-events.js';

/** metrics.port is taken: said in one line, like server.port. */
export class MetricsPortInUseError extends Error {
  override name = 'MetricsPortInUseError';
}

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface App {
  url: string;
  database: Database;
  scheduler: Scheduler;
  engine: Engine;
  /** The domain services, built once and shared by GraphQL, the engine and start-up. */
  services: Services;
  auth: AuthService;
  actions: ActionRegistry;
  bus: RealtimeBus;
  notifications: NotificationService;
  metrics: Metrics;
  /** The metrics port's URL when metrics.port is set. */
  metricsUrl: string | null;
  /** Stops taking requests and work, lets running actions finish up to graceMs, closes the database. */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** In-memory embedded database (tests). */
  inMemory?: boolean;
  webDist?: string;
  /** The process environment (secrets for actions, NODE_ENV); read from the process when not given. */
  environment?: ProcessEnvironment;
}

export async function startApp(config: Config, { logger, inMemory, webDist = WEB_DIST, environment = loadEnvironment() }: StartOptions): Promise<App> {
  // Actions first: a broken action module stops start-up before anything is opened.
  const actionHost = createActionHost(config, environment.variables);
  const actions = await loadActions({ dir: path.resolve(config.actions.dir), packages: config.actions.packages, host: actionHost.host });
  logger.info(`actions: ${actions.list().length} loaded (${actions.list().map((action) => action.name).join(', ') || 'none'})`);
  const database = await openDatabase(config, { inMemory });
  logger.info(`database: ${database.description}`);
  actionHost.attach(database.pool);
  try {
    const { applied, alreadyApplied } = await database.migrate();
    logger.info(
      applied.length > 0
        ? `migrations: applied ${applied.join(', ')}`
        : `migrations: up to date (${alreadyApplied} applied)`,
    );
  } catch (error) {
    await database.close();
    throw error;
  }

  const auth = new AuthService({ prisma: database.prisma, pool: database.pool, settings: config.auth, logger });
  await auth.bootstrap(logger);

  // On PostgreSQL the bus crosses processes (LISTEN/NOTIFY): an API process sees the runs its workers execute.
  const bus = await createRealtime(database, logger).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  // An unreachable queue (scheduler.url) stops the start-up: the bus and the database are let go first.
  const { services, engine } = await createCore({ config, database, actions, bus, logger, auth }).catch(async (error: unknown) => {
    await bus.close();
    await database.close();
    throw error;
  });
  const { scheduler } = engine;
  // Before the scheduler starts, so its first tick is seen.
  const loop = watchSchedulerLoop(scheduler.agenda);
  const metrics = createMetrics({
    pool: database.pool,
    bus,
    logger,
    activeRuns: scheduler.executesJobs ? () => engine.executor.activeCount : null,
    concurrency: config.jobs.concurrency,
    loop,
  });
  // Only job-executing processes send; the engine writes what is to be sent with each run's ending, and wakes
  // the delivery loop when it did.
  const notifications = new NotificationService({ prisma: database.prisma, config, logger });
  engine.run.onNotificationsQueued(() => notifications.wake());
  notifications.start({ deliver: scheduler.executesJobs });
  await engine.start();
  // A start-up that fails from here on lets go of what it started, so nothing keeps locks or the data folder.
  const releaseStarted = async () => {
    await engine.stop(0);
    await notifications.stop(0);
    metrics.close();
    await bus.close();
    await database.close();
  };
  // Declared definitions before the built-in jobs (a document may declare sundial.cleanup its own way); a document
  // with problems stops the start-up, and the scheduler, bus and database are let go like for any failed start.
  try {
    await applyDeclaredDefinitions(config, services.definitions, logger);
  } catch (error) {
    await releaseStarted();
    throw error;
  }
  await ensureBuiltinJobs({ config, prisma: database.prisma, jobs: services.jobs, actions, logger });
  logger.info(
    scheduler.executesJobs
      ? `scheduler: executing jobs (queue on ${scheduler.backend})`
      : 'scheduler: this process does not execute jobs (jobs.enabled=false)',
  );

  const health = () => checkHealth(database, scheduler, services.queues);
  const readiness = () => checkReadiness(database, scheduler, loop, loopStaleAfterMs(config.scheduler.process_every_ms));
  const refusals = createRefusalRecorder(database.prisma, database.pool, logger, auth.sessionPolicy);
  const yoga = createYoga<GraphQLContext>({
    schema,
    context: createContextFactory({
      prisma: database.prisma,
      health,
      services,
      actions,
      bus,
    }),
    plugins: [
      useResponseCookies(),
      useRequestRelease(),
      useSubscriptionGuard(database.prisma, { everyMs: 2000, sessionPolicy: auth.sessionPolicy }),
      // The live log's events are executed once for all the subscribers of a run (see the plugin for why).
      useSharedSubscriptionEvents(['runLogLines', 'runLog']),
      useMetrics(metrics.registry),
      useTracing(),
      ...graphqlSecurityPlugins(config, logger, environment, refusals, database.pool),
    ],
    logging: false,
    ...graphqlSecurityOptions(config, logger, environment),
  });
  const webSocket = createGraphQLWebSocket({
    yoga,
    maxMessageBytes: config.server.max_body_bytes,
    variables: { maxBytes: config.graphql.max_variables_bytes, maxDepth: config.graphql.max_variables_depth },
  });
  const server = createHttpServer({
    yoga,
    webSocket,
    health,
    readiness,
    metrics: { metrics, token: config.metrics.token },
    webDist,
    security: {
      maxBodyBytes: config.server.max_body_bytes,
      corsOrigins: config.server.cors_origins,
      allowedHosts: config.server.allowed_hosts,
      trustProxy: config.server.trust_proxy,
      publicUrl: config.server.public_url,
      headersTimeoutMs: config.server.headers_timeout_ms,
      requestTimeoutMs: config.server.request_timeout_ms,
      keepAliveTimeoutMs: config.server.keep_alive_timeout_ms,
      maxConnectionsPerAddress: config.server.max_connections_per_address,
      maxRequestsInFlight: config.server.max_requests_in_flight,
    },
    webhooks: {
      receiver: services.webhookReceiver,
      publicUrl: config.server.public_url,
      onRecordFailed: (error) => logger.error(`audit: could not record a webhook request: ${(error as Error).message.trim().split('\n').pop()}`),
    },
    oidc: services.oidc,
    onRefused: (req, code, reason) => {
      void refusals.record({ headers: headersOf(req), ip: String(req.headers['x-sundial-client-ip'] ?? '') || null, code, reason });
    },
  });
  const metricsServer = config.metrics.port
    ? createMetricsServer(metrics, config.metrics.token, (res) => serveReadiness(readiness, res))
    : null;
  const listen = (target: http.Server, port: number, host: string) =>
    new Promise<void>((resolve, reject) => {
      target.once('error', reject);
      target.listen(port, host, () => resolve());
    });
  try {
    await listen(server, config.server.port, config.server.host);
    if (metricsServer) {
      await listen(metricsServer, config.metrics.port, config.metrics.host).catch((error: NodeJS.ErrnoException) => {
        server.close();
        throw error.code === 'EADDRINUSE'
          ? new MetricsPortInUseError(`metrics.port: ${config.metrics.host}:${config.metrics.port} is in use by another process; set SUNDIAL_METRICS__PORT`)
          : error;
      });
    }
  } catch (error) {
    // A port in use must not leave the scheduler holding locks or the embedded data folder locked.
    await webSocket.close();
    await releaseStarted();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const metricsAddress = metricsServer?.address() as AddressInfo | undefined;
  const metricsUrl = metricsAddress ? `http://${config.metrics.host}:${metricsAddress.port}` : null;

  let closing: Promise<void> | null = null;
  return {
    url,
    database,
    scheduler,
    engine,
    services,
    auth,
    actions,
    bus,
    notifications,
    metrics,
    metricsUrl,
    close(graceMs = config.server.shutdown_grace_seconds * 1000) {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const { unfinished } = await engine.stop(graceMs);
        if (unfinished > 0) logger.warn(`shutdown: ${unfinished} running job(s) did not finish within the grace period`);
        await notifications.stop(Math.min(graceMs, 5000));
        // Upgraded sockets are no longer the HTTP server's to close, but it waits for them.
        await webSocket.close();
        server.closeAllConnections();
        await httpClosed;
        metrics.close();
        if (metricsServer) {
          metricsServer.closeAllConnections();
          await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        }
        await bus.close();
        await database.close();
      })();
      return closing;
    },
  };
}
