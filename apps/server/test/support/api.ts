// A real Sundial server (HTTP, GraphQL, engine) on port 0 with this test file's own database, and helpers to call
// it as the first admin or with a token carrying chosen permissions.
import crypto from 'node:crypto';
import { startApp, type App } from '../../src/app.js';
import type { Permission } from '../../src/db/prisma.js';
import { createLogger } from '../../src/lib/logger.js';
import { createTestDatabaseTarget } from './database.js';
import { FAST_ENGINE } from './engine.js';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' } as const;

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestApi {
  url: string;
  app: App;
  adminToken: string;
  /** A token of a new user whose only role grants exactly these permissions. */
  tokenWith(permissions: Permission[]): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, variables?: object, options?: { token?: string | null; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestApi(overrides: Record<string, unknown> = {}): Promise<TestApi> {
  const target = await createTestDatabaseTarget({
    ...FAST_ENGINE,
    server: { port: 0 },
    auth: { admin_email: ADMIN.email, admin_password: ADMIN.password },
    actions: { dir: 'actions' },
    ...overrides,
  });
  const app = await startApp(target.config, { logger: createLogger('error'), inMemory: target.inMemory });
  const prisma = app.database.prisma;
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
  const { secret: adminToken } = await app.auth.createApiToken(admin.id, { name: 'test admin' });

  const gql: TestApi['gql'] = async (query, variables, options = {}) => {
    const token = options.token === undefined ? adminToken : options.token;
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<never>;
  };

  return {
    url: app.url,
    app,
    adminToken,
    gql,
    async tokenWith(permissions) {
      const tag = crypto.randomBytes(4).toString('hex');
      const role = await prisma.role.create({ data: { name: `test-${tag}`, permissions } });
      const user = await prisma.user.create({ data: { email: `user-${tag}@example.com`, name: `User ${tag}`, roles: { create: { roleId: role.id } } } });
      return (await app.auth.createApiToken(user.id, { name: `test ${tag}` })).secret;
    },
    async close() {
      await app.close(2000);
      await target.drop();
    },
  };
}
