// What every resolver receives. Built per request in http/ from the services of the running app.
import type { PrismaClient } from '../db/prisma.js';
import type { AuthService } from '../services/auth/auth-service.js';
import type { Identity } from '../services/auth/identity.js';

export type { Identity } from '../services/auth/identity.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from '../services/action-catalog.js';
import type { Health } from '../services/health.js';
import type { JobSummaries } from '../services/job-summaries.js';
import type { JobService } from '../services/jobs.js';
import type { RunService } from '../services/runs.js';

export interface GraphQLServices {
  jobs: JobService;
  /** What a list of jobs shows beside each job, read for a whole page at once. */
  jobSummaries: JobSummaries;
  runs: RunService;
  auth: AuthService;
}

export interface GraphQLContext {
  prisma: PrismaClient;
  health: () => Promise<Health>;
  services: GraphQLServices;
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
