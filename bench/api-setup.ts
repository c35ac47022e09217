// A real Sundial server for the API benchmarks: startApp on a fresh database (a new PostgreSQL database, or an
// in-memory PGlite), an admin API token, a GraphQL client, and a counter of the SQL statements the server sends.
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { startApp, type App } from '../apps/server/src/app.js';
import { configSchema } from '../apps/server/src/config/schema.js';
import { createLogger } from '../apps/server/src/lib/logger.js';
import type { DatabaseModeName } from './report.js';
import { POSTGRES_URL } from './setup.js';

export interface BenchApi {
  app: App;
  token: string;
  /** The PostgreSQL database's URL, for other processes on it; empty for the embedded database. */
  databaseUrl: string;
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string }[] }>;
  close(): Promise<void>;
}

const ACTIONS_DIR = fileURLToPath(new URL('./api-actions', import.meta.url));

export async function startBenchApi(mode: DatabaseModeName, overrides: Record<string, unknown> = {}): Promise<BenchApi> {
  const base = {
    server: { port: 0 },
    auth: { admin_email: 'bench@example.com', admin_password: 'sundown ledger marigold 1234' },
    actions: { dir: ACTIONS_DIR },
    log: { level: 'error' },
    ...overrides,
  };
  let drop = async () => {};
  let url = '';
  if (mode === 'postgres') {
    const name = `sundial_bench_api_${crypto.randomBytes(5).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const target = new URL(POSTGRES_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    drop = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const config = configSchema.parse({ ...base, database: { url, pool_size: 20 } });
  const app = await startApp(config, { logger: createLogger('error'), inMemory: mode === 'embedded' });
  const admin = await app.database.prisma.user.findUniqueOrThrow({ where: { email: 'bench@example.com' } });
  const { secret: token } = await app.auth.createApiToken(admin.id, { name: 'bench' });
  return {
    app,
    token,
    databaseUrl: url,
    async gql(query, variables) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async close() {
      await app.close(1000);
      await drop();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * Counts SQL statements sent by every pg client in this process (Prisma's adapter and Agenda included), by
 * wrapping pg.Client#query for the duration of a measurement.
 */
export function countQueries(): { readonly count: number; reset(): void; stop(): void } {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let count = 0;
  prototype.query = function counted(this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop() {
      prototype.query = original;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A benchmark's client in a worker thread of its own, so its work does not run on the server's event loop; tsx's
 * loader is registered in it so it can run a TypeScript file.
 */
export function startBenchWorker(file: URL, input: unknown): Worker {
  return new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(import.meta.url)}))`, {
    eval: true,
    workerData: input,
  });
}

/** Runs a worker that answers with one message, and ends it. */
export async function runBenchWorker<M>(file: URL, input: unknown): Promise<M> {
  const worker = startBenchWorker(file, input);
  try {
    return await new Promise<M>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the benchmark's worker exited (${code}) before answering`)));
    });
  } finally {
    await worker.terminate();
  }
}
