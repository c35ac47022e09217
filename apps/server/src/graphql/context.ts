// What every resolver receives. Built per request in http/ from the services of the running app.
import type { Permission, PrismaClient } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from '../services/action-catalog.js';
import type { Health } from '../services/health.js';
import type { JobService } from '../services/jobs.js';
import type { RunService } from '../services/runs.js';

/** Who is calling: a signed-in user through a session cookie or an API token, with their roles' permissions. */
export interface Identity {
  userId: string;
  email: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string; tokenName: string };
}

export interface GraphQLServices {
  jobs: JobService;
  runs: RunService;
}

export interface GraphQLContext {
  prisma: PrismaClient;
  health: () => Promise<Health>;
  services: GraphQLServices;
  actions: ActionCatalog;
  bus: RealtimeBus;
  /** Null when the request carries no valid session or token. */
  identity: Identity | null;
  request: { ip: string | null; userAgent: string | null };
}
