// Each test file gets its own database: a fresh in-memory PGlite by default, or a new database on the server
// at TEST_DATABASE_URL (created here, dropped afterwards).
import crypto from 'node:crypto';
import pg from 'pg';
import { configSchema, type Config } from '../../src/config/schema.js';
import { openDatabase, type Database } from '../../src/db/database.js';

export const usingRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

export interface TestDatabaseTarget {
  /** A config whose database section points at this file's own database. */
  config: Config;
  /** Pass to openDatabase/startApp: true for the embedded in-memory mode. */
  inMemory: boolean;
  /** Drops the database created for this file (no-op for PGlite, which lives in memory). */
  drop(): Promise<void>;
}

/**
 * A config for tests: defaults plus overrides, as sundial.yaml would give them — except that the default
 * install's daily cleanup job is not created (tests count and page jobs); tests of it turn it back on.
 */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({ builtin: { cleanup: { schedule_daily: false } }, ...overrides });
}

export async function createTestDatabaseTarget(overrides: Record<string, unknown> = {}): Promise<TestDatabaseTarget> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    return { config: testConfig(overrides), inMemory: true, drop: async () => {} };
  }
  const name = `sundial_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const config = testConfig({ ...overrides, database: { ...(overrides.database as object), url: url.toString() } });
  return {
    config,
    inMemory: false,
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      // Connections the test closed may still be finishing; FORCE on a live one makes its client emit a FATAL
      // error the test no longer listens to. Wait for them (bounded), then force whatever is left.
      for (let waited = 0; waited < 5000; waited += 100) {
        const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]?.count === '0') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Opens (and optionally migrates) this file's own database. */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<Database & { drop(): Promise<void> }> {
  const target = await createTestDatabaseTarget();
  const database = await openDatabase(target.config, { inMemory: target.inMemory });
  if (options.migrate ?? true) await database.migrate();
  return Object.assign(database, {
    async drop() {
      await database.close();
      await target.drop();
    },
  });
}
