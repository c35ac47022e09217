// Applies prisma/migrations/<stamp>_<name>/migration.sql in order and records them in _prisma_migrations
// exactly as Prisma Migrate does, so `prisma migrate status` agrees on a machine that has the schema engine.
// Each migration and its record commit together: a failure leaves the database as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

// Prisma Migrate's own table, column for column.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Serialises concurrent start-ups of several processes on one database.
const MIGRATION_LOCK_KEY = 72_707_369;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** Applies what is pending. Idempotent: a second call applies nothing. */
export async function migrate(client: pg.ClientBase, migrations = readMigrations()): Promise<MigrateResult> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const recorded = new Map(rows.map((row) => [row.migration_name, row]));
    const known = new Set(migrations.map((m) => m.name));
    const unknown = rows.filter((row) => !known.has(row.migration_name)).map((row) => row.migration_name);
    if (unknown.length > 0) {
      throw new MigrationError(
        `the database has migrations this version does not know (${unknown.join(', ')}): it was migrated by a newer Sundial`,
      );
    }

    const applied: string[] = [];
    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row && row.finished_at) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.name} was changed after it was applied (checksum differs); restore the original file`,
          );
        }
        continue;
      }
      if (row) {
        throw new MigrationError(
          `migration ${migration.name} is recorded as started but not finished; inspect the database, then mark it rolled back`,
        );
      }
      if (await apply(client, migration)) applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** Applies one migration with its record, all or nothing; false when another connection applied it first. */
async function apply(client: pg.ClientBase, migration: Migration): Promise<boolean> {
  const startedAt = new Date();
  await client.query('BEGIN');
  try {
    // The advisory lock serialises start-ups on PostgreSQL, but the embedded database gives every connection the
    // same session, so the lock does not exclude; its transactions do. Looking again inside the transaction
    // makes a concurrent run skip what the other one committed.
    const { rowCount } = await client.query(
      'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
      [migration.name],
    );
    if (rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, $4, 1)`,
      [crypto.randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const pgError = error as { message?: string; position?: string };
    const where = pgError.position ? ` (at line ${lineOf(migration.sql, Number(pgError.position))})` : '';
    throw new MigrationError(
      `migration ${migration.name} failed${where}: ${pgError.message ?? String(error)}; the database was left as it was`,
    );
  }
}

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}
