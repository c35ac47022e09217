// Opens the database this process uses: the configured PostgreSQL, or the embedded one when no URL is set.
// Same migrations and same code path either way.
import pg from 'pg';
import type { Config } from '../config/load.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { migrate, type MigrateResult } from './migrate.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';
import { preparedStatements, type SqlClient } from './sql/client.js';
import { traceStatements } from '../telemetry/pg.js';

export type DatabaseMode = 'embedded' | 'external';

export interface Database {
  mode: DatabaseMode;
  /** Where the database is, without credentials: safe to log. */
  description: string;
  url: string;
  pool: pg.Pool;
  /** The pool with statements prepared once per connection, for the engine's hot statements (preparedStatements). */
  statements: SqlClient;
  prisma: PrismaClient;
  migrate(): Promise<MigrateResult>;
  /** Whether a trivial query succeeds now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

export interface OpenDatabaseOptions {
  /** In-memory embedded database (tests); ignores data_dir. */
  inMemory?: boolean;
}

// Sockets beyond the shared pool: the migration client, Agenda's LISTEN connection, the bus's and the worker's
// liveness session (db/session.ts).
const EXTRA_CONNECTIONS = 5;

export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<Database> {
  const poolSize = config.database.pool_size;
  let embedded: EmbeddedPostgres | null = null;
  let url = config.database.url;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.inMemory ? null : config.database.data_dir,
      maxConnections: poolSize + EXTRA_CONNECTIONS,
    });
    url = embedded.url;
  }
  const description = embedded
    ? `embedded PostgreSQL in ${options.inMemory ? 'memory' : config.database.data_dir}`
    : `PostgreSQL at ${describeUrl(url)}`;

  // Connections live as long as the pool (idleTimeoutMillis 0; pg's default closes one idle for 10 s). A worker's load
  // comes in waves, and with the default each wave reopens the connections the last one left idle: a new server
  // process, its catalog caches, and every prepared statement prepared and planned again, on both workers at once
  // (bench/schedule-lag.ts, steady state: slot → start p99 290 ms and max 958 ms with the default, 71 ms and 186 ms
  // without). Embedded, it also keeps the statements each connection prepares in the one shared session few
  // (preparedStatements).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 0 });
  // An idle client's error (server restart, network) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  traceStatements(pool);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    await embedded?.close();
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatabaseUnreachableError(`database.url: cannot reach ${description} (${reason})`);
  }

  const prisma = createPrismaClient(pool);
  return {
    mode: embedded ? 'embedded' : 'external',
    description,
    url,
    pool,
    statements: preparedStatements(pool, 'sundial_', { sharedSession: embedded !== null }),
    prisma,
    async migrate() {
      const client = await pool.connect();
      try {
        return await migrate(client);
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.close();
    },
  };
}

/** host:port/database, never the user or password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
