// What every Sundial process builds the same way, server or CLI: the scheduler (Agenda's run timers) and the run
// dispatcher, the domain services on them (once), and the engine that executes runs with them.
// app.ts adds HTTP and GraphQL; the CLI uses this alone, with jobs.enabled off.
import type { Config } from './config/load.js';
import { oidcRedirectUrl } from './config/schema.js';
import type { Database } from './db/database.js';
import type { Logger } from './lib/logger.js';
import type { RealtimeBus } from './realtime/bus.js';
import { createScheduler } from './scheduler/agenda.js';
import { createRunDispatcher } from './scheduler/dispatcher.js';
import { createEngine, createRunEngine, type Engine } from './scheduler/engine.js';
import type { ActionCatalog } from './services/action-catalog.js';
import { AuthService } from './services/auth/auth-service.js';
import { createServices, type Services } from './services/create.js';

export interface CoreDeps {
  config: Config;
  database: Database;
  actions: ActionCatalog;
  bus: RealtimeBus;
  logger: Logger;
  /** Given when the caller already has it (the server bootstraps auth before the rest). */
  auth?: AuthService;
}

export interface Core {
  services: Services;
  engine: Engine;
}

export async function createCore({ config, database, actions, bus, logger, auth }: CoreDeps): Promise<Core> {
  const scheduler = await createScheduler(config, database, logger);
  const dispatcher = createRunDispatcher(scheduler.agenda, bus);
  const run = createRunEngine({ config, database, actions, bus, logger, scheduler, dispatcher });
  const services = createServices({
    prisma: database.prisma,
    pool: database.pool,
    statements: database.statements,
    prepareStatements: database.mode === 'external',
    actions,
    bus,
    auth: auth ?? new AuthService({ prisma: database.prisma, pool: database.pool, settings: config.auth, logger }),
    dispatcher,
    engine: run,
    workerStaleAfterMs: config.jobs.stale_after_ms,
    webhooks: {
      secretKey: config.webhooks.secret_key,
      maxBodyBytes: config.webhooks.max_body_bytes,
      requestsPerMinute: config.webhooks.requests_per_minute,
      toleranceSeconds: config.webhooks.tolerance_seconds,
      rotationOverlapSeconds: config.webhooks.rotation_overlap_seconds,
      publicUrl: config.server.public_url,
    },
    oidc: {
      settings: { ...config.auth.oidc, redirect_url: oidcRedirectUrl(config) },
      localSignIn: config.auth.local_sign_in,
      logger,
    },
  });
  const engine = await createEngine({ config, database, actions, bus, logger, scheduler, dispatcher, run, services });
  return { services, engine };
}
