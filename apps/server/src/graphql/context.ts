// What every resolver receives. Built per request in http/ from the services of the running app.
import type { PrismaClient } from '../db/prisma.js';
import type { Identity } from '../services/auth/identity.js';

export type { Identity } from '../services/auth/identity.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from '../services/action-catalog.js';
import type { Health } from '../services/health.js';
import type { Services } from '../services/create.js';

export interface GraphQLContext {
  prisma: PrismaClient;
  health: () => Promise<Health>;
  /** The app's services, built once at start-up (services/create.ts): resolvers call these, never build their own. */
  services: Services;
  actions: ActionCatalog;
  bus: RealtimeBus;
  /** Null when the request carries no valid session or token. */
  identity: Identity | null;
  request: { ip: string | null; userAgent: string | null; /** Reached over HTTPS (directly or behind a proxy). */ secure: boolean };
  /** Set-Cookie values the response carries (sign-in, sign-out). */
  responseCookies: string[];
  /**
   * What this request worked out once for all its fields, by name: batch loaders (types/common.ts batchLoader)
   * and shared values (requestOnce). Emptied when its operation is done (request-context.ts useRequestRelease).
   */
  requestCache: Map<string, unknown>;
}
