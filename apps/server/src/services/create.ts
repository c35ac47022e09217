// Every domain service, built once per process from the database and the port the scheduler provides (the run
// dispatcher), and handed as one object to GraphQL, the engine and the CLI. A service that needs
// another gets that instance, never a copy of its own.
import type pg from 'pg';
import type { SqlClient } from '../db/sql/client.js';
import type { PrismaClient } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from './action-catalog.js';
import type { AuthService } from './auth/auth-service.js';
import { BackfillService } from './backfills.js';
import { DefinitionsService } from './definitions.js';
import { DispatchService } from './dispatch.js';
import { InboxService } from './inbox.js';
import { JobSummaries } from './job-summaries.js';
import { JobService } from './jobs.js';
import { QueueService } from './queues.js';
import { RoleService } from './roles.js';
import type { RunDispatcher } from '../engine/index.js';
import { RunService, type RunServiceDeps } from './runs.js';
import { UserService } from './users.js';
import { AuditService } from './audit.js';
import { OidcSignIn, type OidcSettings } from './auth/oidc.js';
import type { Logger } from '../lib/logger.js';
import { JobSaveService } from './job-save.js';
import { CalendarService } from './calendars.js';
import { WebhookService, type WebhookSettings } from './webhooks/hooks.js';
import { WebhookReceiver } from './webhooks/receive.js';
import { SecretBox } from './webhooks/secrets.js';

export interface Services {
  jobs: JobService;
  /** What a list of jobs shows beside each job, read for a whole page at once. */
  jobSummaries: JobSummaries;
  runs: RunService;
  backfills: BackfillService;
  users: UserService;
  roles: RoleService;
  inbox: InboxService;
  dispatch: DispatchService;
  definitions: DefinitionsService;
  auth: AuthService;
  /** Single sign-on (OpenID Connect); `enabled` is false while auth.oidc.issuer is empty. */
  oidc: OidcSignIn;
  /** Jobs' inbound webhooks: enabling, rotating (admins), and requests to them (receiver). */
  webhooks: WebhookService;
  webhookReceiver: WebhookReceiver;
  /** Calendars and the calendars jobs attach. */
  calendars: CalendarService;
  /** A job saved with the calendars it attaches, in one transaction (createJob and updateJob with calendars). */
  jobSave: JobSaveService;
  /** Which queues live workers take; why a queued run waits for one. */
  queues: QueueService;
}

export interface ServicesDeps {
  prisma: PrismaClient;
  /** The pool Prisma runs on, for the services' plain-SQL statements. */
  pool: pg.Pool;
  /** The pool with statements prepared once per connection (db/database.ts). */
  statements: SqlClient;
  /** Prepared statements pay off on PostgreSQL; the embedded database gains nothing from them. */
  prepareStatements: boolean;
  actions: ActionCatalog;
  bus: RealtimeBus;
  auth: AuthService;
  /** The scheduler's side of runs. */
  dispatcher: RunDispatcher;
  /** The run engine: run now, retry and cancel create and change runs through it. */
  engine: RunServiceDeps['engine'] & ConstructorParameters<typeof BackfillService>[0]['engine'];
  /** webhooks.* and server.public_url; secretKey is webhooks.secret_key. */
  webhooks: WebhookSettings & { secretKey: string };
  /** auth.oidc (with its redirect URL worked out) and auth.local_sign_in. */
  oidc: { settings: OidcSettings; localSignIn: boolean; logger?: Logger | null };
  /** jobs.stale_after_ms: a worker without a beat for this long is not live. */
  workerStaleAfterMs?: number;
}

export function createServices({
  prisma,
  pool,
  statements,
  prepareStatements,
  actions,
  bus,
  auth,
  dispatcher,
  engine,
  webhooks: webhookConfig,
  oidc,
  workerStaleAfterMs = 30_000,
}: ServicesDeps): Services {
  const jobs = new JobService({ db: prisma, actions, bus });
  const runs = new RunService({ prisma, statements, actions, dispatcher, bus, engine });
  const users = new UserService(prisma);
  const roles = new RoleService(prisma);
  const { secretKey, ...webhookSettings } = webhookConfig;
  const box = new SecretBox(secretKey);
  const webhooks = new WebhookService({ db: prisma, box, settings: webhookSettings });
  const calendars = new CalendarService({ db: prisma, bus });
  return {
    jobs,
    jobSummaries: new JobSummaries(pool, { prepare: prepareStatements }),
    runs,
    backfills: new BackfillService({ prisma, engine }),
    users,
    roles,
    inbox: new InboxService(prisma),
    dispatch: new DispatchService({ jobs, runs }),
    definitions: new DefinitionsService({ db: prisma, jobs, users, roles, webhooks, calendars }),
    auth,
    oidc: new OidcSignIn({ prisma, pool, auth, ...oidc }),
    webhooks,
    calendars,
    jobSave: new JobSaveService({ db: prisma, jobs, calendars }),
    queues: new QueueService({ prisma, pool, workerStaleAfterMs }),
    webhookReceiver: new WebhookReceiver({ prisma, pool, box, settings: webhookSettings, runs, engine, dispatcher, bus, audit: new AuditService(prisma) }),
  };
}
